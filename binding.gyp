{
  # One small N-API addon: lseek(SEEK_DATA/SEEK_HOLE) and fallocate(PUNCH_HOLE), which Node's fs lacks.
  # Plain C against node_api.h, so the binary works across Node versions (N-API 8 is in Node >= 12.22).
  "targets": [
    {
      "target_name": "ankagit_sparse",
      "sources": ["src/native/sparse.c"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE", "_FILE_OFFSET_BITS=64"],
      "cflags": ["-std=c11", "-Wall", "-Wextra", "-O2"]
    }
  ]
}
