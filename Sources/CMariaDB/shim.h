#ifndef TT_CMARIADB_SHIM_H
#define TT_CMARIADB_SHIM_H
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

/* mysql_optionsv is variadic and cannot be called from Swift: typed helpers. */
static inline int tt_mysql_set_uint_option(MYSQL *mysql, enum mysql_option option, unsigned int value) {
    return mysql_optionsv(mysql, option, (const void *)&value);
}
static inline int tt_mysql_set_bool_option(MYSQL *mysql, enum mysql_option option, my_bool value) {
    return mysql_optionsv(mysql, option, (const void *)&value);
}
static inline int tt_mysql_set_string_option(MYSQL *mysql, enum mysql_option option, const char *value) {
    return mysql_optionsv(mysql, option, (const void *)value);
}
/* STMT_ATTR_UPDATE_MAX_LENGTH etc. take a pointer to a my_bool. */
static inline my_bool tt_mysql_stmt_set_bool_attr(MYSQL_STMT *stmt, enum enum_stmt_attr_type attr, my_bool value) {
    return mysql_stmt_attr_set(stmt, attr, &value);
}
#endif
