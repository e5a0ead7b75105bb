#include <iostream>

#include "commands.h"
#include "options.h"

namespace ferc::cli {

int cmd_plugins(Context& ctx, const Args& args) {
  po::options_description desc("plugins options");
  desc.add_options()("help,h", "show this help");
  po::variables_map vm;
  if (!parse_args("plugins", "ferc plugins", desc, args, vm)) return 0;
  std::cout << "ferc " << FERC_VERSION << ", plugin ABI version " << FERC_PLUGIN_ABI_VERSION
            << "\nsearched:";
  for (const auto& d : PluginHost::search_dirs()) std::cout << " " << d.string();
  std::cout << "\n";
  if (ctx.plugins.records().empty()) std::cout << "\nno plugins found\n";
  for (const PluginRecord& r : ctx.plugins.records()) {
    std::cout << "\n" << r.path.string() << "\n";
    if (!r.plugin) {
      std::cout << "  state:   refused: " << r.refusal << "\n";
      continue;
    }
    const Plugin& p = *r.plugin;
    std::cout << "  name:    " << p.name() << " " << p.version() << "\n"
              << "  device:  " << p.device() << "\n"
              << "  state:   " << (p.usable() ? "ready" : "unusable: " + p.unusable_reason())
              << "\n"
              << "  ops:    ";
    for (const std::string& op : p.ops()) std::cout << " " << op;
    std::cout << "\n";
  }
  return 0;
}

}  // namespace ferc::cli
