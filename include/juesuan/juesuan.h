/* juesuan: 部门决算公开 from a department's accounts. The umbrella header. */
#ifndef JUESUAN_H
#define JUESUAN_H

#define JUESUAN_VERSION "0.1.0"

#include "juesuan/audit.h"
#include "juesuan/batch.h"
#include "juesuan/buf.h"
#include "juesuan/diag.h"
#include "juesuan/dict.h"
#include "juesuan/limits.h"
#include "juesuan/money.h"
#include "juesuan/output.h"
#include "juesuan/perf.h"
#include "juesuan/profile.h"
#include "juesuan/read.h"
#include "juesuan/region.h"
#include "juesuan/render.h"
#include "juesuan/report.h"
#include "juesuan/run.h"
#include "juesuan/score.h"
#include "juesuan/cofog.h"
#include "juesuan/fdp.h"
#include "juesuan/tables.h"
#include "juesuan/template.h"
#include "juesuan/workbook.h"
#include "juesuan/xlsx.h"

#endif
