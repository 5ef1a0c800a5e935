/* See xlsx_close.h. */
#include "xlsx_close.h"

#include <pthread.h>

lxw_error js_xlsx_workbook_close(lxw_workbook *wb)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    lxw_error e = workbook_close(wb);
    pthread_mutex_unlock(&lock);
    return e;
}
