// SPDX-License-Identifier: GPL-2.0
/*
 * qotd - Quote of the Day, version 3: the trace events themselves.
 *
 * The only file that includes the trace header with CREATE_TRACE_POINTS
 * defined, so the events and their tracepoints are generated exactly once
 * in the module; every other file just calls trace_qotd_*().
 */

#define CREATE_TRACE_POINTS
#include "qotd_trace.h"
