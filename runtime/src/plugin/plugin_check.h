// Checks of a plugin's table and op declarations, done once at load so that nothing later reads
// a NULL pointer or a nonsense count from it.
#pragma once

#include <filesystem>
#include <string>

#include "ferc/attrs.h"
#include "ferc/plugin_abi.h"

namespace ferc::plugin_check {

/// Throws Error("plugin PATH ...") naming the first field of `table` that ferc cannot use: a
/// NULL or malformed string, a missing mandatory slot, a device other than cpu or cuda, a
/// negative count, a duplicate op, or an op that ferc does not know declared without what the
/// model language needs (shape inference, valid attribute declarations).
void check_table(const std::filesystem::path& path, const ferc_plugin& table);

/// True for an op that ferc's schemas know already (built-in ops and the fused loss).
bool is_builtin_op(const char* op);

/// The value of a declared default, written as DSL text; throws Error naming op and attribute
/// when it is not a value of the declared kind.
AttrValue parse_default(const std::string& op, const ferc_attr_spec& spec);

/// AttrKind of an ABI kind that check_table has accepted.
AttrKind kind_from_abi(ferc_attr_kind k);

}  // namespace ferc::plugin_check
