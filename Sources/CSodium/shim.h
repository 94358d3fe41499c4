#ifndef TT_CSODIUM_SHIM_H
#define TT_CSODIUM_SHIM_H
#include <sodium.h>
#endif
