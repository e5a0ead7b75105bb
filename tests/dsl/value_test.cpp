#include <doctest/doctest.h>

#include "ferc/dsl.h"

using namespace ferc;

TEST_CASE("parse_value reads each kind of value") {
  CHECK(std::get<int64_t>(parse_value("30")) == 30);
  CHECK(std::get<int64_t>(parse_value(" -2 ")) == -2);
  CHECK(std::get<double>(parse_value("0.01")) == doctest::Approx(0.01));
  CHECK(std::get<double>(parse_value("1e-7")) == doctest::Approx(1e-7));
  CHECK(std::get<std::vector<int64_t>>(parse_value("20x5x5")) == std::vector<int64_t>{20, 5, 5});
  CHECK(std::get<std::string>(parse_value("sgd")) == "sgd");
  CHECK(std::get<std::string>(parse_value("true")) == "true");
  CHECK(std::get<std::string>(parse_value("\"a b\"")) == "a b");
}

TEST_CASE("parse_value rejects text that is not one value") {
  for (const char* bad : {"", "1 2", "20x", "0.1.2", "-> x", "\"open"}) {
    try {
      parse_value(bad);
      FAIL("accepted '" << bad << "'");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) ==
            "'" + std::string(bad) +
                "' is not a value: expected an integer (30), a number (0.01, 1e-7), dims "
                "(20x5x5), a name (sgd, true) or a quoted string");
    }
  }
}
