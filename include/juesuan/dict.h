/* Classification dictionaries, versioned by edition year:
 * 支出功能分类 (类 3 digits, 款 5, 项 7) and 部门预算支出经济分类 (类 3, 款 5).
 * Loaded from data/dict/<edition>/{functional,economic}.csv. */
#ifndef JUESUAN_DICT_H
#define JUESUAN_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"

typedef struct {
    uint32_t code;      /* numeric value of the code */
    uint8_t digits;     /* 3, 5 or 7 */
    const char *name;   /* 名称 */
    const char *note;   /* official 说明, "" when unknown */
    uint32_t order;     /* position in the dictionary file */
} js_code;

typedef enum { JS_DICT_FUNC, JS_DICT_ECON } js_dict_kind;

typedef struct js_dict js_dict;

/* Loads the edition `edition` from datadir/dict/<edition>/. Returns NULL and
 * fills d on error. The caller owns the result (js_dict_free). */
js_dict *js_dict_load(const char *datadir, int edition, js_diag *d);
/* Parses one dictionary CSV (header 编码,名称,说明) held in memory; used by
 * js_dict_load and the fuzz target. Returns JS_OK or fills d. */
js_status js_dict_parse(js_dict *dict, js_dict_kind kind, const char *name,
                        const char *data, size_t len, js_diag *d);
js_dict *js_dict_new(int edition);
void js_dict_free(js_dict *dict);

int js_dict_edition(const js_dict *dict);

/* Exact lookup of a code with `digits` digits; NULL when unknown. */
const js_code *js_dict_find(const js_dict *dict, js_dict_kind kind, uint32_t code,
                            int digits);
/* The code of the parent level (项 -> 款 -> 类); 0 for a 类. */
uint32_t js_code_parent(uint32_t code, int digits);
/* Writes the code as its digits into buf (at least 8 bytes). */
void js_code_str(uint32_t code, int digits, char *buf);

/* Checks that text is a code of 3, 5 or 7 digits (functional) or 3 or 5
 * (economic) that the edition has. On success stores the code; when
 * need_digits is non-zero the code must have that many digits. Returns
 * NULL on success, else a Chinese message in msgbuf. */
const char *js_dict_check(const js_dict *dict, js_dict_kind kind, const char *text,
                          int need_digits, uint32_t *code, int *digits, char *msgbuf,
                          size_t msglen);

/* All codes of a kind, in file order. */
const js_code *js_dict_codes(const js_dict *dict, js_dict_kind kind, size_t *n);

/* A name an item had in an older edition (data/dict/<edition>/former.csv,
 * docs/dictionaries.md): the code of this edition, the old name, and the
 * first edition that prints the current name. */
typedef struct {
    js_dict_kind kind;
    uint32_t code;
    uint8_t digits;
    const char *name;   /* the old name */
    int since;          /* the edition that renamed it */
} js_former_name;

/* Parses a former.csv (header 分类,编码,旧名称,新名称启用版本; 分类 功能 or
 * 经济; every code in dict, every old name unlike its current one) into
 * dict. Returns JS_OK or fills d. */
js_status js_dict_parse_former(js_dict *dict, const char *name, const char *data, size_t len, js_diag *d);
/* The old names of the edition's items, in file order. */
const js_former_name *js_dict_former_names(const js_dict *dict, size_t *n);
/* Whether name is an old name of the item (kind, code, digits). */
bool js_dict_is_former(const js_dict *dict, js_dict_kind kind, uint32_t code, int digits, const char *name);

/* Dictionaries shared by many workbooks (batch mode): each edition is
 * loaded once, on first use; js_dict_cache_get may be called from several
 * threads. The cache owns the dictionaries. */
typedef struct js_dict_cache js_dict_cache;
js_dict_cache *js_dict_cache_new(const char *datadir);
js_dict *js_dict_cache_get(js_dict_cache *c, int edition, js_diag *d);
void js_dict_cache_free(js_dict_cache *c);

#endif
