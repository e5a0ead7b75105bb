// Compares a device's results with the CPU plugin's within a stated tolerance.
#pragma once

#include <string>
#include <vector>

namespace ferc::test {

/// max |got - ref| <= rel * max(1, max |ref|). On failure the doctest message names `what`,
/// the worst index and both values.
void check_close(const std::string& what, const std::vector<float>& ref,
                 const std::vector<float>& got, double rel = 1e-4);

}  // namespace ferc::test
