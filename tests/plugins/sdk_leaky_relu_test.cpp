// The plugin SDK end to end: install ferc, build examples/leaky_relu against it with
// find_package(ferc), load the result and check its new op.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compare.h"
#include "gradcheck.h"

namespace ferc::test {
namespace {

namespace fs = std::filesystem;

// Runs a shell command, appending its output to `log`; the message carries the log on failure.
void run(const std::string& cmd, const fs::path& log) {
  int rc = std::system((cmd + " >>" + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE_MESSAGE(rc == 0, "command failed (" << rc << "): " << cmd << "\n" << text.str());
}

// Installs the build tree and builds the example; returns the plugin's path.
fs::path build_example() {
  fs::path build = fs::path(FERC_BIN_DIR).parent_path();
  fs::path work = build / "sdk_test";
  fs::remove_all(work);
  fs::create_directories(work);
  fs::path log = work / "log.txt";
  run("cmake --install " + build.string() + " --component sdk --prefix " +
          (work / "prefix").string(),
      log);
  run("cmake -S " FERC_SOURCE_DIR "/examples/leaky_relu -B " + (work / "build").string() +
          " -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + (work / "prefix").string(),
      log);
  run("cmake --build " + (work / "build").string(), log);
  return work / "build" / "libferc_plugin_leaky_relu.so";
}

TEST_CASE("an out-of-tree plugin built with find_package(ferc) brings a working new op") {
  fs::path so = build_example();
  REQUIRE_MESSAGE(fs::exists(so), so.string());
  PluginLib lib(so.string());
  REQUIRE(lib.table() != nullptr);
  CHECK(std::string(lib.table()->device) == "cpu");
  CHECK(lib.entry()(FERC_PLUGIN_ABI_VERSION + 1) == nullptr);
  const ferc_kernel& k = lib.kernel("leaky_relu");
  CHECK(std::string(k.summary) == "x where x > 0, else slope * x");
  REQUIRE(k.n_attr_specs == 1);
  CHECK(std::string(k.attr_specs[0].name) == "slope");
  CHECK(std::string(k.attr_specs[0].default_value) == "0.01");

  SUBCASE("forward uses the default slope and infer keeps the shape") {
    NodeRun node(lib, {"leaky_relu", {}, {Shape{2, 3}}, 2});
    CHECK(node.output_shape() == Shape{2, 3});
    Values v{{{-1, 2, -3, 4, 0, -100, 1, 1, 1, 1, 1, 1}}, {}};
    std::vector<float> y = node.forward(2, v, false);
    expect_close(y, std::vector<double>{-0.01, 2, -0.03, 4, 0, -1, 1, 1, 1, 1, 1, 1},
                 "leaky_relu slope 0.01");
  }
  SUBCASE("backward matches central differences with slope 0.2") {
    NodeRun node(lib, {"leaky_relu", {{"slope", 0.2}}, {Shape{2, 3, 3}}, 3});
    Values v = node.random_values(3, 31);
    for (float& x : v.inputs[0]) x = x < 0 ? x - 0.1f : x + 0.1f;  // stay off the kink
    check_gradients(node, 3, v, "leaky_relu slope 0.2");
  }
}

}  // namespace
}  // namespace ferc::test
