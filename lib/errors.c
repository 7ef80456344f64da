/*
 * errors.c - error names and descriptions, and the library version.
 *
 * Everything here is generated from POP3_ERROR_TABLE in pop3.h: adding a
 * row to that table is the only change a new error code ever needs.
 */
#include "internal.h"

POP3_API unsigned pop3_version(void)
{
    return (unsigned)POP3_VERSION_NUMBER;
}

POP3_API const char *pop3_version_string(void)
{
    return POP3_VERSION_STRING;
}

POP3_API const char *pop3_strerror(int code)
{
    switch (code) {
#define POP3_X_TEXT_(name, value, text) case name: return text;
    POP3_ERROR_TABLE(POP3_X_TEXT_)
#undef POP3_X_TEXT_
    default:
        return "unknown error";
    }
}

POP3_API const char *pop3_error_name(int code)
{
    switch (code) {
#define POP3_X_NAME_(name, value, text) case name: return #name;
    POP3_ERROR_TABLE(POP3_X_NAME_)
#undef POP3_X_NAME_
    default:
        return "POP3_E_?";
    }
}

POP3_API int pop3_error_is_fatal(int code)
{
    return code <= POP3_E_FATAL;
}
