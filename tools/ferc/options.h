// Command-line parsing shared by the commands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace ferc::cli {

namespace po = boost::program_options;

/// Flags every model command takes.
void add_common_options(po::options_description& desc);

/// Parses `args` into `vm`. Returns false after printing help when --help was given. Unknown or
/// malformed flags become an Error naming the flag and the command.
bool parse_args(const std::string& command, const std::string& usage,
                const po::options_description& desc, const std::vector<std::string>& args,
                po::variables_map& vm,
                const po::positional_options_description* positional = nullptr);

}  // namespace ferc::cli
