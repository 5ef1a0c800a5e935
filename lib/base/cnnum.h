/* Chinese numerals for headings and narrative (一, 十二, 九十九). */
#ifndef JS_CNNUM_H
#define JS_CNNUM_H

#include <stddef.h>

/* Writes n as Chinese numerals into buf (1..99; other values as digits). */
void js_chinese_number(int n, char *buf, size_t len);

#endif
