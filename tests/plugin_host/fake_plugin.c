/* A tiny plugin whose flaws are chosen at compile time, for testing how the host refuses
 * plugins. Without any FAKE_* flaw it is a complete plugin that brings one op of its own,
 * `scale` (output = factor * input), with shape inference. Its device is "cuda" so that ops it
 * lacks run on the CPU plugin through host copies; its memory is host memory all the same. */
#include <stdlib.h>
#include <string.h>

#include "ferc/plugin_abi.h"

#ifndef FAKE_NAME
#define FAKE_NAME "fake"
#endif
#ifndef FAKE_VERSION
#define FAKE_VERSION "0.1"
#endif
#ifndef FAKE_ABI
#define FAKE_ABI FERC_PLUGIN_ABI_VERSION
#endif
#ifndef FAKE_DEVICE
#define FAKE_DEVICE "cuda"
#endif
#ifndef FAKE_OP
#define FAKE_OP "scale"
#endif
#ifndef FAKE_ATTR_NAME
#define FAKE_ATTR_NAME "factor"
#endif
#ifndef FAKE_ATTR_DEFAULT
#define FAKE_ATTR_DEFAULT "2.0"
#endif

static void* fake_alloc(size_t bytes) {
  return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}
static void fake_release(void* p) {
  free(p);
}
static int fake_copy(void* dst, const void* src, size_t bytes) {
  memcpy(dst, src, bytes);
  return FERC_OK;
}
static int fake_fill(float* dst, float value, size_t count) {
  for (size_t i = 0; i < count; ++i) dst[i] = value;
  return FERC_OK;
}
static int fake_axpy(float alpha, const float* x, float* y, size_t count) {
  for (size_t i = 0; i < count; ++i) y[i] += alpha * x[i];
  return FERC_OK;
}

static int64_t numel(const ferc_shape* s) {
  int64_t n = 1;
  for (int i = 0; i < s->rank; ++i) n *= s->dims[i];
  return n;
}

static double factor_of(const ferc_attr* attrs, int32_t n) {
  for (int32_t i = 0; i < n; ++i)
    if (strcmp(attrs[i].name, "factor") == 0) return attrs[i].f;
  return 0.0;
}

typedef struct ScaleState {
  float factor;
} ScaleState;

static int scale_create(const ferc_node_desc* d, void** state, char* err, size_t len) {
  ScaleState* s = malloc(sizeof *s);
  if (!s) return FERC_FAILED;
  s->factor = (float)factor_of(d->attrs, d->n_attrs);
  *state = s;
  return FERC_OK;
}
static void scale_destroy(void* state) {
  free(state);
}

static int scale_forward(void* state, const ferc_call* c, char* err, size_t len) {
  const ScaleState* s = state;
  int64_t n = numel(&c->inputs[0].shape);
  for (int64_t i = 0; i < n; ++i) c->output.data[i] = s->factor * c->inputs[0].data[i];
  return FERC_OK;
}

/* Only rank-1 inputs, so a test can see the plugin's own message come back. */
static int scale_infer(const ferc_node_desc* d, ferc_shape* out, int32_t* n_params,
                       ferc_shape* params, char* err, size_t len) {
  if (d->input_shapes[0].rank != 1) {
    strncpy(err, "scale takes a feature vector (rank 1)", len - 1);
    return FERC_FAILED;
  }
  *out = d->input_shapes[0];
#ifdef FAKE_INFER_RANK
  out->rank = FAKE_INFER_RANK;
#endif
#ifdef FAKE_INFER_DIM0
  out->dims[0] = FAKE_INFER_DIM0;
#endif
  *n_params = 0;
  return FERC_OK;
}

static const ferc_attr_spec kScaleAttrs[] = {
    {FAKE_ATTR_NAME, FERC_ATTR_FLOAT, FAKE_ATTR_DEFAULT, 1, "multiplier"}};

static const ferc_kernel kKernels[] = {{
#ifdef FAKE_UNKNOWN_OP_WITHOUT_INFER
    "mystery",
#else
    FAKE_OP,
#endif
    scale_create, scale_destroy, scale_forward, NULL, "multiplies by a constant factor", 1, 1, 1,
    kScaleAttrs,
#ifdef FAKE_UNKNOWN_OP_WITHOUT_INFER
    NULL
#else
    scale_infer
#endif
}};

static const ferc_plugin kTable = {
    FAKE_ABI,     FAKE_NAME, FAKE_VERSION, FAKE_DEVICE, NULL,      NULL,
#ifdef FAKE_NO_ALLOC
    NULL,
#else
    fake_alloc,
#endif
    fake_release, fake_copy, fake_copy,    fake_fill, fake_axpy, NULL, NULL, NULL, 1, kKernels};

#ifndef FAKE_NO_ENTRY
const ferc_plugin* ferc_plugin_entry(uint32_t host_abi_version) {
#ifdef FAKE_ENTRY_NULL
  return NULL;
#else
  return &kTable;
#endif
}
#else
/* Something exported, so the library is a valid shared object without the entry. */
int fake_not_a_plugin(void) {
  return kTable.n_kernels;
}
#endif
