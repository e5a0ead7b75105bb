// One function per command; each returns the process exit status.
#pragma once

#include <string>
#include <vector>

#include "context.h"

namespace ferc::cli {

using Args = std::vector<std::string>;

int cmd_train(Context& ctx, const std::string& model, const Args& args);
int cmd_eval(Context& ctx, const std::string& model, const Args& args);
int cmd_check(Context& ctx, const std::string& model, const Args& args);
int cmd_dot(Context& ctx, const std::string& model, const Args& args);
int cmd_time(Context& ctx, const std::string& model, const Args& args);
int cmd_plugins(Context& ctx, const Args& args);
int cmd_predict(Context& ctx, const Args& args);

}  // namespace ferc::cli
