#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "commands.h"
#include "ferc/executor.h"
#include "ferc/inspect.h"
#include "ferc/log.h"
#include "ferc/train.h"
#include "options.h"

namespace ferc::cli {

int cmd_check(Context& ctx, const std::string& model, const Args& args) {
  po::options_description desc("check options");
  // clang-format off
  desc.add_options()
      ("batch", po::value<std::string>(), "batch for the memory plan, 1 to 65536 as in training (default: the model's training batch)")
      ("help,h", "show this help");
  // clang-format on
  po::variables_map vm;
  if (!parse_args("check", "ferc MODEL check [--batch N]", desc, args, vm)) return 0;
  Graph g = ctx.load_model(model);
  // The batch is checked as training checks it, so that check plans only what train can run.
  std::map<std::string, std::string> overrides;
  if (vm.count("batch")) overrides["batch"] = vm["batch"].as<std::string>();
  TrainSettings s = resolve_settings(g, overrides);
  int64_t planned = planned_activation_bytes(g, s.batch, true);
  std::cout << summary_table(g, s.batch, planned);
  long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) {
    double physical = static_cast<double>(pages) * static_cast<double>(page_size);
    if (static_cast<double>(planned) > physical) {
      char msg[200];
      std::snprintf(msg, sizeof msg,
                    "the planned activation memory at batch %d (%.0f MiB) exceeds this machine's "
                    "physical memory (%.0f MiB); training at this batch would fail or swap",
                    s.batch, static_cast<double>(planned) / (1 << 20), physical / (1 << 20));
      log::warn("check", msg);
    }
  }
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
