// The plugin host: every refusal with its message, discovery order, and ops brought by plugins.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "ferc/dsl.h"
#include "ferc/error.h"
#include "ferc/executor.h"
#include "ferc/plugin_host.h"
#include "scratch_dir.h"

namespace ferc {
namespace {

const std::filesystem::path kFakes = FERC_FAKES_DIR;

std::filesystem::path fake(const std::string& variant, const std::string& file) {
  return kFakes / variant / (file + ".so");
}

// The message Plugin::open throws for `path`; empty when it loads.
std::string refusal(const std::filesystem::path& path) {
  try {
    Plugin::open(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Sets FERC_PLUGIN_PATH for one test and puts the old value back.
class PluginPathEnv {
 public:
  explicit PluginPathEnv(const std::string& value) {
    if (const char* old = std::getenv("FERC_PLUGIN_PATH")) old_ = old, had_ = true;
    setenv("FERC_PLUGIN_PATH", value.c_str(), 1);
  }
  ~PluginPathEnv() {
    if (had_)
      setenv("FERC_PLUGIN_PATH", old_.c_str(), 1);
    else
      unsetenv("FERC_PLUGIN_PATH");
  }

 private:
  std::string old_;
  bool had_ = false;
};

const PluginRecord* record_for(const PluginHost& host, const std::filesystem::path& path) {
  for (const auto& r : host.records())
    if (r.path == path) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("a missing plugin file is refused with its path") {
  std::string msg = refusal(kFakes / "nowhere" / "libferc_plugin_gone.so");
  CHECK(msg ==
        "plugin " + (kFakes / "nowhere" / "libferc_plugin_gone.so").string() + " does not exist");
}

TEST_CASE("a file that is not a shared library is refused by the loader") {
  test::ScratchDir dir("plugin-host");
  auto path = dir.path() / "libferc_plugin_x.so";
  std::ofstream(path) << "this is text, not an ELF file\n";
  std::string msg = refusal(path);
  CHECK(msg.starts_with("plugin " + path.string() + " cannot be loaded: "));
  CHECK(msg.find(path.string(), 20) != std::string::npos);  // dlerror names the file too
}

TEST_CASE("a shared library without the entry symbol is refused") {
  auto path = fake("noentry", "libferc_plugin_noentry");
  CHECK(refusal(path) == "plugin " + path.string() +
                             " lacks the entry symbol 'ferc_plugin_entry'; is it a ferc plugin?");
}

TEST_CASE("a plugin built for another ABI version is refused naming both versions") {
  auto path = fake("abi", "libferc_plugin_abi");
  CHECK(refusal(path) == "plugin " + path.string() +
                             " was built for plugin ABI version 99, this ferc uses version " +
                             std::to_string(FERC_PLUGIN_ABI_VERSION) +
                             "; rebuild the plugin against this ferc's headers");
}

TEST_CASE("a plugin whose entry returns NULL is refused naming the host's version") {
  auto path = fake("null", "libferc_plugin_null");
  CHECK(refusal(path) == "plugin " + path.string() + " refused this ferc (plugin ABI version " +
                             std::to_string(FERC_PLUGIN_ABI_VERSION) +
                             "); rebuild the plugin against this ferc's headers");
}

TEST_CASE("a plugin lacking a mandatory slot is refused naming the slot") {
  auto path = fake("noalloc", "libferc_plugin_noalloc");
  CHECK(refusal(path) ==
        "plugin " + path.string() +
            " is incomplete: its table lacks the memory functions (alloc, release, upload, "
            "download, fill, axpy)");
}

TEST_CASE("a complete plugin loads with its name, device and ops") {
  auto p = Plugin::open(fake("good", "libferc_plugin_fake"));
  CHECK(p->name() == "fake");
  CHECK(p->version() == "0.1");
  CHECK(p->device() == "cuda");
  CHECK(p->usable());
  CHECK(p->ops() == std::vector<std::string>{"scale"});
  CHECK(p->kernel("scale") != nullptr);
  CHECK(p->kernel("conv") == nullptr);
}

TEST_CASE("discover keeps refusals as records without throwing") {
  std::string dirs;
  for (const char* v : {"abi", "null", "noalloc", "noentry", "good"})
    dirs += (dirs.empty() ? "" : ":") + (kFakes / v).string();
  PluginPathEnv env(dirs);
  PluginHost host;
  CHECK_NOTHROW(host.discover());
  for (const char* v : {"abi", "null", "noalloc", "noentry"}) {
    CAPTURE(v);
    const PluginRecord* r = record_for(host, fake(v, std::string("libferc_plugin_") + v));
    REQUIRE(r != nullptr);
    CHECK(r->plugin == nullptr);
    CHECK(r->refusal == refusal(r->path));
  }
  const PluginRecord* good = record_for(host, fake("good", "libferc_plugin_fake"));
  REQUIRE(good != nullptr);
  CHECK(good->plugin != nullptr);
  CHECK(good->refusal.empty());
  CHECK(good->plugin->device() == "cuda");
  CHECK(host.find_device("cpu") != nullptr);  // beside the test executable
}

TEST_CASE("FERC_PLUGIN_PATH is searched in order; the first plugin of a name wins") {
  auto a = kFakes / "order_a", b = kFakes / "order_b";
  for (bool a_first : {true, false}) {
    CAPTURE(a_first);
    PluginPathEnv env(a_first ? a.string() + "::" + b.string() : b.string() + ":" + a.string());
    auto dirs = PluginHost::search_dirs();
    REQUIRE(dirs.size() >= 2);
    CHECK(dirs[dirs.size() - 2] == (a_first ? a : b));
    CHECK(dirs.back() == (a_first ? b : a));
    PluginHost host;
    host.discover();
    int named_order = 0;
    for (const auto& r : host.records())
      if (r.plugin && r.plugin->name() == "order") {
        ++named_order;
        CHECK(r.plugin->version() == (a_first ? "a" : "b"));
      }
    CHECK(named_order == 1);
    const PluginRecord* later = record_for(host, (a_first ? b : a) / "libferc_plugin_order.so");
    REQUIRE(later != nullptr);
    CHECK(later->plugin == nullptr);
    CHECK(later->refusal ==
          "a plugin named 'order' was found earlier on the search path; this copy is not used");
  }
}

TEST_CASE("register_plugin_ops adds the schema of an op a plugin brings") {
  PluginHost host;
  auto path = fake("good", "libferc_plugin_fake");
  host.load(path);
  ops::OpRegistry registry = ops::builtin_registry();
  REQUIRE(registry.find("scale") == nullptr);
  host.register_plugin_ops(registry);
  const ops::OpSchema* s = registry.find("scale");
  REQUIRE(s != nullptr);
  CHECK(s->origin == path.string());
  CHECK(s->summary == "multiplies by a constant factor");
  CHECK(s->min_inputs == 1);
  CHECK(s->max_inputs == 1);
  CHECK_FALSE(s->differentiable);
  REQUIRE(s->attrs.size() == 1);
  CHECK(s->attrs[0].name == "factor");
  CHECK(s->attrs[0].positional);
  CHECK(std::get<double>(*s->attrs[0].default_value) == 2.0);

  Graph g = parse_model("input 5 -> scale 3.0\n", "scale.net", registry);
  REQUIRE(g.nodes.size() == 2);
  CHECK(g.nodes[1].op == "scale");
  CHECK(to_string(g.nodes[1].shape) == "5");
  CHECK(g.nodes[1].attrs.get_float("factor") == 3.0);

  // The plugin's shape-inference message reaches the user at the op's position.
  try {
    parse_model("input 1x4x4 -> scale\n", "bad.net", registry);
    FAIL("expected a SourceError");
  } catch (const SourceError& e) {
    CHECK(std::string(e.what()).starts_with("bad.net:1:"));
    CHECK(e.message().find("scale takes a feature vector (rank 1)") != std::string::npos);
  }
}

TEST_CASE("a plugin op ferc does not know needs a shape-inference function") {
  auto path = fake("noinfer", "libferc_plugin_noinfer");
  CHECK(refusal(path) == "plugin " + path.string() +
                             ": op 'mystery', which ferc does not know, comes without a "
                             "shape-inference function; fill ferc_kernel::infer and attr_specs "
                             "for new ops");
  PluginHost host;
  CHECK_THROWS_WITH_AS(host.load(path), refusal(path).c_str(), Error);
  CHECK(host.records().empty());
}

TEST_CASE("malformed op declarations are refused naming the op, the attribute and the field") {
  SUBCASE("an attribute without a name") {
    auto path = fake("nullattr", "libferc_plugin_nullattr");
    CHECK(refusal(path) == "plugin " + path.string() +
                               ": op 'scale': attribute 0 has no name (NULL); set "
                               "ferc_attr_spec::name");
  }
  SUBCASE("an attribute name a model cannot write") {
    auto path = fake("badattr", "libferc_plugin_badattr");
    CHECK(refusal(path) == "plugin " + path.string() +
                               ": op 'scale': attribute 0 is named 'fac tor', which a model "
                               "cannot write; attribute names are 1 to 64 ASCII letters, digits "
                               "and '_', starting with a letter or '_'");
  }
  SUBCASE("a default that is not of the attribute's kind") {
    auto path = fake("baddefault", "libferc_plugin_baddefault");
    CHECK(refusal(path) == "plugin " + path.string() +
                               ": op 'scale': default 'two' of attribute 'factor' is not a number");
  }
}

TEST_CASE("a plugin for a device other than cpu or cuda is refused") {
  auto path = fake("tpu", "libferc_plugin_tpu");
  CHECK(refusal(path) == "plugin " + path.string() +
                             " declares device 'tpu'; ferc runs plugins for device 'cpu' or "
                             "'cuda' only");
}

TEST_CASE("a refused plugin leaves the others and the model language working") {
  std::string dirs;
  // All are named 'fake': a refused one leaves the name to the next.
  for (const char* v : {"nullattr", "noinfer", "tpu", "cpuconv", "good"})
    dirs += (dirs.empty() ? "" : ":") + (kFakes / v).string();
  PluginPathEnv env(dirs);
  PluginHost host;
  CHECK_NOTHROW(host.discover());
  for (auto [v, file] :
       {std::pair{"nullattr", "libferc_plugin_nullattr"},
        std::pair{"noinfer", "libferc_plugin_noinfer"}, std::pair{"tpu", "libferc_plugin_tpu"}}) {
    CAPTURE(std::string(v));
    const PluginRecord* r = record_for(host, fake(v, file));
    REQUIRE(r != nullptr);
    CHECK(r->plugin == nullptr);
    CHECK(r->refusal == refusal(r->path));
  }
  const PluginRecord* conv = record_for(host, fake("cpuconv", "libferc_plugin_cpuconv"));
  REQUIRE(conv != nullptr);
  CHECK(conv->plugin == nullptr);
  CHECK(conv->refusal.find(" has a kernel for op 'conv' on device 'cpu', which plugin 'cpu' (") !=
        std::string::npos);
  const PluginRecord* good = record_for(host, fake("good", "libferc_plugin_fake"));
  REQUIRE(good != nullptr);
  CHECK(good->refusal.empty());
  REQUIRE(good->plugin != nullptr);
  ops::OpRegistry registry = ops::builtin_registry();
  CHECK_NOTHROW(host.register_plugin_ops(registry));
  CHECK(registry.find("scale") != nullptr);
  CHECK(registry.find("mystery") == nullptr);
  Graph g =
      load_model(std::filesystem::path(FERC_SOURCE_DIR) / "models" / "lenet_bn.net", registry);
  CHECK(g.nodes.size() == 15);
}

TEST_CASE("a second plugin with a kernel for an op its device runs already is refused") {
  auto cpu = std::filesystem::path(FERC_BIN_DIR) / "libferc_plugin_cpu.so";
  auto cpuconv = fake("cpuconv", "libferc_plugin_cpuconv");
  std::string expected = "plugin " + cpuconv.string() +
                         " has a kernel for op 'conv' on device 'cpu', which plugin 'cpu' (" +
                         cpu.string() +
                         ") loaded before it has already; a plugin may add ops that its "
                         "device's plugins lack, not replace one: remove the kernel from one of "
                         "them";
  SUBCASE("loaded explicitly") {
    PluginHost host;
    host.load(cpu);
    CHECK_THROWS_WITH_AS(host.load(cpuconv), expected.c_str(), Error);
    REQUIRE(host.records().size() == 1);
    // The same op for another device is what a device's op plugin is for.
    auto cudaconv = fake("cudaconv", "libferc_plugin_cudaconv");
    CHECK(host.load(cudaconv)->ops() == std::vector<std::string>{"conv"});
  }
  SUBCASE("found on the search path, after the CPU plugin beside the executable") {
    PluginPathEnv env((kFakes / "cpuconv").string());
    PluginHost host;
    host.discover();
    const PluginRecord* r = record_for(host, cpuconv);
    REQUIRE(r != nullptr);
    CHECK(r->plugin == nullptr);
    const PluginRecord* first = record_for(host, cpu);
    REQUIRE(first != nullptr);
    CHECK(r->refusal == "plugin " + cpuconv.string() +
                            " has a kernel for op 'conv' on device 'cpu', which plugin 'cpu' (" +
                            first->path.string() +
                            ") loaded before it has already; a plugin may add ops that its "
                            "device's plugins lack, not replace one: remove the kernel from one "
                            "of them");
    CHECK(host.find_device("cpu") == first->plugin);
  }
}

TEST_CASE("a plugin's shape inference must return a rank and dims the host can hold") {
  struct Case {
    const char* variant;
    std::string why;
  };
  for (const Case& c : {
           Case{"rank99",
                "an output of rank 99; it must have rank 1 to 5 (FERC_MAX_RANK 6 "
                "counts the batch dimension)"},
           Case{"rank0",
                "an output of rank 0; it must have rank 1 to 5 (FERC_MAX_RANK 6 counts "
                "the batch dimension)"},
           Case{"negdim", "an output -3, with a dimension that is not positive"},
           Case{"zerodim", "an output 0, with a dimension that is not positive"},
       }) {
    CAPTURE(c.variant);
    auto path = fake(c.variant, std::string("libferc_plugin_") + c.variant);
    PluginHost host;
    host.load(path);
    ops::OpRegistry registry = ops::builtin_registry();
    host.register_plugin_ops(registry);
    try {
      parse_model("input 5 -> scale\n", "bad.net", registry);
      FAIL("expected a SourceError");
    } catch (const SourceError& e) {
      CHECK(e.loc().line == 1);
      CHECK(e.loc().column == 12);
      CHECK(e.message() == "node 'scale1' (scale): the shape inference of plugin " + path.string() +
                               " returned " + c.why +
                               "; fix the plugin's infer function (input shapes: 5)");
    }
  }
}

TEST_CASE("a plugin op runs through the executor on the plugin's device") {
  PluginHost host;
  host.load(fake("good", "libferc_plugin_fake"));
  ops::OpRegistry registry = ops::builtin_registry();
  host.register_plugin_ops(registry);
  Graph g = parse_model("input 3 -> scale 2.5\n", "scale.net", registry);
  Executor exec(g, host, ExecOptions{2, false, true, "cuda"});
  const float in[6] = {1, -2, 3, 0.5f, 0, -4};
  float out[6] = {};
  exec.forward(in, 2, out);
  for (int i = 0; i < 6; ++i) CHECK(out[i] == 2.5f * in[i]);
}

TEST_CASE("ops a device lacks run on the CPU plugin with copies, giving the CPU's results") {
  PluginHost host;
  host.load(fake("good", "libferc_plugin_fake"));
  host.load(std::filesystem::path(FERC_BIN_DIR) / "libferc_plugin_cpu.so");
  Graph g = parse_model("input 3 -> fc 4 -> relu -> fc 3 -> softmax\n", "mlp.net",
                        ops::builtin_registry());
  Executor on_fake(g, host, ExecOptions{2, true, true, "cuda"});
  Executor on_cpu(g, host, ExecOptions{2, true, true, "cpu"});
  CHECK(on_fake.placement() == std::vector<std::string>{"host", "cpu", "cpu", "cpu", "cpu"});
  on_fake.init_params(5);
  on_cpu.init_params(5);

  const float in[6] = {1, -2, 3, 0.5f, 0, -4};
  float a[6] = {}, b[6] = {};
  on_fake.forward(in, 2, a);
  on_cpu.forward(in, 2, b);
  for (int i = 0; i < 6; ++i) CHECK(a[i] == b[i]);

  const int32_t labels[2] = {2, 0};
  const float weights[2] = {0.5f, 0.5f};
  OptimizerConfig sgd;
  for (int step = 1; step <= 3; ++step) {
    BatchResult ra = on_fake.forward_backward(in, labels, weights, 2, 9);
    BatchResult rb = on_cpu.forward_backward(in, labels, weights, 2, 9);
    CHECK(ra.objective == rb.objective);
    on_fake.optimizer_step(sgd, step);
    on_cpu.optimizer_step(sgd, step);
  }
  auto pa = on_fake.params(), pb = on_cpu.params();
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].data == pb[i].data);
}

}  // namespace ferc
