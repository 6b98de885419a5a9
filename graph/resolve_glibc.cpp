#include "graph/resolve_glibc.h"
