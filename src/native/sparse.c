/*
 * ankagit_sparse: the two sparse-file system calls that Node's fs does not expose, lseek(SEEK_DATA/SEEK_HOLE)
 * and fallocate(FALLOC_FL_PUNCH_HOLE). This file only makes the calls and reports failures as a negative errno;
 * what counts as "unsupported" and how errors are thrown is decided in src/chunk/sparse.ts, so the C stays small
 * and the policy stays in one place that the tests can reach.
 *
 * Offsets travel as doubles: exact up to 2^53 bytes (8 PiB), far above the 220 GB disks ankagit handles.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <node_api.h>

#define MAX_ARGS 3

/* Reads the first `count` arguments as integers (an fd, then offsets). On a missing or non-number argument it
 * throws a TypeError and returns 0; the wrapper validates first, so this only guards direct misuse. */
static int get_int_args(napi_env env, napi_callback_info info, size_t count, int64_t *out) {
  napi_value argv[MAX_ARGS];
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  for (size_t i = 0; i < count; i++) {
    if (i >= argc || napi_get_value_int64(env, argv[i], &out[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "ankagit_sparse: expected integer arguments");
      return 0;
    }
  }
  return 1;
}

/* dataRanges(fd, size) -> [start0, end0, start1, end1, ...] for the data extents below `size`,
 * or -errno when a seek fails for a reason other than "no more data" (ENXIO). */
static napi_value data_ranges(napi_env env, napi_callback_info info) {
  int64_t args[2];
  if (!get_int_args(env, info, 2, args)) return NULL;
  int fd = (int)args[0];
  off_t size = (off_t)args[1];
  napi_value list, num;
  napi_create_array(env, &list);
  uint32_t n = 0;
  int err = 0;
  /* The seeks move the fd's position; it is put back so callers that read sequentially are not surprised. */
  off_t saved = lseek(fd, 0, SEEK_CUR);
  for (off_t pos = 0; pos < size;) {
    off_t data = lseek(fd, pos, SEEK_DATA);
    if (data < 0) {
      if (errno != ENXIO) err = errno; /* ENXIO: only holes from pos to the end of the file */
      break;
    }
    if (data >= size) break;
    /* Every file ends in an implicit hole, so SEEK_HOLE from a data offset always lands; ENXIO here means the
     * file was truncated meanwhile, which ends the walk like the end of the file does. */
    off_t hole = lseek(fd, data, SEEK_HOLE);
    if (hole < 0) {
      if (errno != ENXIO) err = errno;
      break;
    }
    if (hole > size) hole = size;
    napi_create_double(env, (double)data, &num);
    napi_set_element(env, list, n++, num);
    napi_create_double(env, (double)hole, &num);
    napi_set_element(env, list, n++, num);
    pos = hole;
  }
  if (saved >= 0) lseek(fd, saved, SEEK_SET);
  if (err) napi_create_int32(env, -err, &list);
  return list;
}

/* punchHole(fd, offset, length) -> 1 when the range was deallocated (the file size is kept), else -errno.
 * Where the platform has no punch-hole call at all it answers -EOPNOTSUPP, which the wrapper reads as
 * "unsupported, write zeros instead". */
static napi_value punch_hole(napi_env env, napi_callback_info info) {
  int64_t args[3];
  if (!get_int_args(env, info, 3, args)) return NULL;
  int rc;
#ifdef FALLOC_FL_PUNCH_HOLE
  do {
    rc = fallocate((int)args[0], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)args[1], (off_t)args[2]);
  } while (rc < 0 && errno == EINTR);
  rc = rc == 0 ? 1 : -errno;
#else
  rc = -EOPNOTSUPP;
#endif
  napi_value out;
  napi_create_int32(env, rc, &out);
  return out;
}

/* Context-aware init, so worker threads (which ankagit uses for compression) may load the addon too. */
NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "dataRanges", NAPI_AUTO_LENGTH, data_ranges, NULL, &fn);
  napi_set_named_property(env, exports, "dataRanges", fn);
  napi_create_function(env, "punchHole", NAPI_AUTO_LENGTH, punch_hole, NULL, &fn);
  napi_set_named_property(env, exports, "punchHole", fn);
  return exports;
}
