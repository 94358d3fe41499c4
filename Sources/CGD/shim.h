#ifndef TT_CGD_SHIM_H
#define TT_CGD_SHIM_H
/* libgd (Debian's libgd-dev), used by the legacy protocol to turn stored JPEG and WebP
 * images into PNG for the original phone app. */
#include <gd.h>
#endif
