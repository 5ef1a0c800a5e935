/* System errors in the user's language: messages are Chinese, and an
 * English strerror() inside them ("无法创建目录：No such file or
 * directory") is translated, or quoted as what the system said. */
#ifndef JS_ERRTEXT_H
#define JS_ERRTEXT_H

/* The Chinese for errno value err; for one without a translation, the
 * system's text quoted and marked as such (系统错误“…”). The text is
 * static or thread-local: valid until the thread's next call. */
const char *js_errno_text(int err);

#endif
