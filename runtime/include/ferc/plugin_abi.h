/* The C boundary between ferc and its op plugins.
 *
 * A plugin is a shared library exporting one function, `ferc_plugin_entry`, that returns a
 * table describing the device it drives and the kernels it has. Every struct that crosses the
 * boundary is plain C; no C++ exception may cross it. Kernels report failure through a return
 * code and a message buffer. Slots marked optional may be NULL; the host never calls a NULL slot.
 *
 * Bump FERC_PLUGIN_ABI_VERSION whenever the layout or meaning of anything here changes. The host
 * refuses a plugin whose table carries another version, naming both numbers.
 */
#ifndef FERC_PLUGIN_ABI_H_
#define FERC_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FERC_PLUGIN_ABI_VERSION 1u
#define FERC_MAX_RANK 6
#define FERC_ENTRY_SYMBOL "ferc_plugin_entry"
/* The fused training kernel for a graph ending in softmax: inputs logits [N,C], labels [N]
 * (class index as float) and weights [N]; output probabilities [N,C]; backward writes
 * weights[i] * (probs - onehot) into d_inputs[0]. Not an op of the model language. */
#define FERC_LOSS_OP "softmax_cross_entropy"

/* Return codes of every fallible slot. */
#define FERC_OK 0
#define FERC_FAILED 1
#define FERC_UNSUPPORTED 2 /* a valid request this plugin cannot serve; not an error */

/* A dense row-major float32 shape. dims[0] is the batch size for activations. */
typedef struct ferc_shape {
  int32_t rank;
  int64_t dims[FERC_MAX_RANK];
} ferc_shape;

/* A tensor in the memory of the plugin's device. */
typedef struct ferc_tensor {
  float* data;
  ferc_shape shape;
} ferc_tensor;

typedef enum ferc_attr_kind {
  FERC_ATTR_INT = 0,
  FERC_ATTR_FLOAT = 1,
  FERC_ATTR_STRING = 2,
  FERC_ATTR_INTS = 3 /* a dims value such as 20x5x5 */
} ferc_attr_kind;

/* One resolved attribute of a node: defaults filled in, kinds checked by the host. */
typedef struct ferc_attr {
  const char* name;
  ferc_attr_kind kind;
  int64_t i;
  double f;
  const char* s;
  int32_t n_ints;
  int64_t ints[FERC_MAX_RANK];
} ferc_attr;

/* What a kernel instance is created for: one node of the graph at a maximum batch size. */
typedef struct ferc_node_desc {
  const char* op;   /* op name, e.g. "conv" */
  const char* name; /* node name, unique in the graph, for messages */
  int32_t n_inputs;
  const ferc_shape* input_shapes; /* batch dimension = max_batch */
  ferc_shape output_shape;
  int32_t n_params;
  const ferc_shape* param_shapes;
  int32_t n_attrs;
  const ferc_attr* attrs;
  int32_t training; /* nonzero when backward will be called */
} ferc_node_desc;

/* Arguments of one forward or backward call. Shapes carry the actual batch size, which may be
 * smaller than the max_batch the kernel was created for (the last batch of an epoch).
 *
 * Forward reads inputs and params and writes output. In training it may update non-trainable
 * params in place (batch-norm running statistics).
 * Backward reads inputs, output, params and d_output and OVERWRITES d_inputs[i] (skip when its
 * data is NULL) and d_params[i] (skip when NULL). */
typedef struct ferc_call {
  int32_t training;
  uint64_t seed; /* for stochastic ops; the same seed must give the same result */
  int32_t n_inputs;
  const ferc_tensor* inputs;
  ferc_tensor output;
  int32_t n_params;
  ferc_tensor* params;
  ferc_tensor d_output;
  ferc_tensor* d_inputs;
  ferc_tensor* d_params;
} ferc_call;

/* Attribute declaration for ops that a plugin brings and ferc does not know. */
typedef struct ferc_attr_spec {
  const char* name;
  ferc_attr_kind kind;
  const char* default_value; /* text as written in the DSL; NULL means required */
  int32_t positional;        /* nonzero: may be given without its name, in declaration order */
  const char* doc;
} ferc_attr_spec;

/* Shape inference for an op ferc does not know. Reads desc->input_shapes (no batch dimension)
 * and desc->attrs; writes the per-sample output shape and parameter shapes. */
typedef int (*ferc_infer_fn)(const ferc_node_desc* desc, ferc_shape* output, int32_t* n_params,
                             ferc_shape* param_shapes /* room for 8 */, char* err, size_t err_len);

typedef struct ferc_kernel {
  const char* op;
  /* optional: build per-node state; *state may stay NULL */
  int (*create)(const ferc_node_desc* desc, void** state, char* err, size_t err_len);
  /* optional */
  void (*destroy)(void* state);
  int (*forward)(void* state, const ferc_call* call, char* err, size_t err_len);
  /* optional: NULL means the op cannot be trained on this device */
  int (*backward)(void* state, const ferc_call* call, char* err, size_t err_len);

  /* Only for ops ferc does not know (user plugins). Leave zero/NULL for built-in ops. */
  const char* summary;
  int32_t min_inputs;
  int32_t max_inputs; /* -1: unbounded */
  int32_t n_attr_specs;
  const ferc_attr_spec* attr_specs;
  ferc_infer_fn infer;
} ferc_kernel;

/* Optimizer updates over flat float arrays, on the device. */
typedef struct ferc_sgd_args {
  float lr, momentum, weight_decay;
  int32_t nesterov;
} ferc_sgd_args;

typedef struct ferc_adam_args {
  float lr, beta1, beta2, eps, weight_decay;
  int64_t step; /* 1-based */
} ferc_adam_args;

typedef struct ferc_plugin {
  uint32_t abi_version; /* FERC_PLUGIN_ABI_VERSION the plugin was built with */
  const char* name;     /* "cpu", "cuda", ... */
  const char* version;  /* the plugin's own version, for `ferc plugins` */
  const char* device;   /* "cpu" or "cuda"; memory of "cpu" plugins is host memory */

  /* optional: 0 when the device is usable now, else FERC_FAILED with the reason */
  int (*probe)(char* reason, size_t reason_len);
  /* optional: number of threads for CPU plugins */
  void (*set_threads)(int32_t n);

  /* Device memory. Allocations are aligned to at least 64 bytes. */
  void* (*alloc)(size_t bytes);
  void (*release)(void* ptr);
  int (*upload)(void* device_dst, const void* host_src, size_t bytes);
  int (*download)(void* host_dst, const void* device_src, size_t bytes);
  int (*fill)(float* dst, float value, size_t count);
  /* y += alpha * x */
  int (*axpy)(float alpha, const float* x, float* y, size_t count);
  /* optional: wait for queued work */
  int (*synchronize)(void);

  /* param -= update; velocity / moments are device arrays of the same length */
  int (*sgd_step)(const ferc_sgd_args* args, float* param, const float* grad, float* velocity,
                  size_t count);
  int (*adam_step)(const ferc_adam_args* args, float* param, const float* grad, float* m, float* v,
                   size_t count);

  int32_t n_kernels;
  const ferc_kernel* kernels;
} ferc_plugin;

/* The one exported symbol. host_abi_version lets a plugin refuse an older host. */
typedef const ferc_plugin* (*ferc_plugin_entry_fn)(uint32_t host_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* FERC_PLUGIN_ABI_H_ */
