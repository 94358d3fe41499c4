#ifndef TT_CFASTCGI_SHIM_H
#define TT_CFASTCGI_SHIM_H
#include <fcgiapp.h>
#endif
