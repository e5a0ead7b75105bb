// ferc: train, evaluate and run facial-expression networks.
#include <iostream>
#include <map>

#include "commands.h"
#include "ferc/error.h"
#include "ferc/log.h"

namespace {

constexpr const char* kUsage = R"(usage: ferc MODEL COMMAND [options]
       ferc predict INPUT... [options]
       ferc plugins

model commands:
  train     train on FER2013, keep the weights best on validation, report on the test split
  eval      accuracy, confusion matrix and per-class scores of trained weights
  check     parse the model, infer shapes, print each layer with parameters and cost
  dot       write the graph in Graphviz DOT
  time      time forward and backward of every layer on random input

other commands:
  predict   find faces in images, folders, videos or a camera and classify their expressions
  plugins   list the op plugins found, their devices, ops and state

`ferc MODEL COMMAND --help` describes each command's options.
example: ferc models/lenet_bn.net train --epochs 5
)";

using ModelCommand = int (*)(ferc::cli::Context&, const std::string&, const ferc::cli::Args&);

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "ferc " << FERC_VERSION << "\n";
    return 0;
  }
  ferc::log::set_sink([](ferc::log::Level lvl, std::string_view comp, std::string_view msg) {
    const char* tag = lvl >= ferc::log::Level::error  ? "error"
                      : lvl >= ferc::log::Level::warn ? "warning"
                                                      : "note";
    std::cerr << "ferc: " << tag << ": [" << comp << "] " << msg << "\n";
  });
  ferc::log::set_level(ferc::log::Level::warn);
  auto ctx = ferc::cli::Context::create();
  if (argc > 0 && argv[0][0] != '\0') ctx->program = argv[0];
  if (args[0] == "predict") return ferc::cli::cmd_predict(*ctx, {args.begin() + 1, args.end()});
  if (args[0] == "plugins") return ferc::cli::cmd_plugins(*ctx, {args.begin() + 1, args.end()});

  static const std::map<std::string, ModelCommand> kCommands = {{"train", ferc::cli::cmd_train},
                                                                {"eval", ferc::cli::cmd_eval},
                                                                {"check", ferc::cli::cmd_check},
                                                                {"dot", ferc::cli::cmd_dot},
                                                                {"time", ferc::cli::cmd_time}};
  if (args.size() < 2) {
    throw ferc::Error("no command after '" + args[0] +
                      "'; expected ferc MODEL train|eval|check|dot|time, or ferc predict|plugins");
  }
  if (args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
    std::cout << kUsage;
    return 0;
  }
  auto it = kCommands.find(args[1]);
  if (it == kCommands.end())
    throw ferc::Error("unknown command '" + args[1] +
                      "'; expected train, eval, check, dot or time "
                      "(ferc --help lists them)");
  return it->second(*ctx, args[0], {args.begin() + 2, args.end()});
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const ferc::Error& e) {
    std::cerr << "ferc: error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "ferc: internal error: " << e.what() << "\n";
  }
  return 1;
}
