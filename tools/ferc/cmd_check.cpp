#include <fstream>
#include <iostream>

#include "commands.h"
#include "ferc/executor.h"
#include "ferc/inspect.h"
#include "ferc/train.h"
#include "options.h"

namespace ferc::cli {

int cmd_check(Context& ctx, const std::string& model, const Args& args) {
  po::options_description desc("check options");
  // clang-format off
  desc.add_options()
      ("batch", po::value<int>(), "batch for the memory plan (default: the model's training batch)")
      ("help,h", "show this help");
  // clang-format on
  po::variables_map vm;
  if (!parse_args("check", "ferc MODEL check [--batch N]", desc, args, vm)) return 0;
  Graph g = ctx.load_model(model);
  TrainSettings s = resolve_settings(g, {});
  int batch = vm.count("batch") ? vm["batch"].as<int>() : s.batch;
  if (batch < 1) throw Error("--batch must be at least 1, got " + std::to_string(batch));
  std::cout << summary_table(g, batch, planned_activation_bytes(g, batch, true));
  return 0;
}

int cmd_dot(Context& ctx, const std::string& model, const Args& args) {
  po::options_description desc("dot options");
  // clang-format off
  desc.add_options()
      ("output,o", po::value<std::string>(), "write to FILE instead of standard output")
      ("help,h", "show this help");
  // clang-format on
  po::variables_map vm;
  if (!parse_args("dot", "ferc MODEL dot [-o FILE]   (render: dot -Tpng FILE -o graph.png)", desc,
                  args, vm))
    return 0;
  Graph g = ctx.load_model(model);
  std::string dot = to_dot(g);
  if (!vm.count("output")) {
    std::cout << dot;
    return 0;
  }
  std::ofstream out(vm["output"].as<std::string>());
  if (!out) throw Error("cannot write " + vm["output"].as<std::string>());
  out << dot;
  return 0;
}

}  // namespace ferc::cli
