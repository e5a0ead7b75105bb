#include "options.h"

#include <iostream>

#include "ferc/error.h"

namespace ferc::cli {

void add_common_options(po::options_description& desc) {
  // clang-format off
  desc.add_options()
      ("device", po::value<std::string>()->default_value("cpu"), "cpu, cuda or auto")
      ("threads", po::value<int>()->default_value(0), "CPU threads (0: all cores)")
      ("verbose,v", "log more detail")
      ("help,h", "show this help");
  // clang-format on
}

bool parse_args(const std::string& command, const std::string& usage,
                const po::options_description& desc, const std::vector<std::string>& args,
                po::variables_map& vm, const po::positional_options_description* positional) {
  try {
    po::command_line_parser parser(args);
    parser.options(desc).style(po::command_line_style::default_style &
                               ~po::command_line_style::allow_guessing);
    // Without a positional description a stray word would be ignored; with an empty one it is
    // an error.
    po::positional_options_description none;
    parser.positional(positional ? *positional : none);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage << "\n\n" << desc << "\n";
      return false;
    }
    po::notify(vm);
    // "--json --threads 1" would take "--threads" as the file name; no value here starts so.
    for (const auto& [name, value] : vm) {
      const auto* text = boost::any_cast<std::string>(&value.value());
      if (text && text->starts_with("--"))
        throw Error("--" + name + " needs a value, got the flag '" + *text + "' (for '" + command +
                    "'; see --help)");
    }
  } catch (const po::error& e) {
    throw Error(std::string(e.what()) + " (for '" + command + "'; see --help)");
  }
  return true;
}

}  // namespace ferc::cli
