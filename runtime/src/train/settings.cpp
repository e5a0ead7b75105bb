// The train block's keys: their kinds, limits and defaults, in one table.
#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "ferc/dsl.h"
#include "ferc/train.h"

namespace ferc {
namespace {

struct Key {
  const char* name;
  const char* doc;
  // Applies a value or throws Error with the rule it broke (the caller adds where).
  std::function<void(TrainSettings&, const AttrValue&)> apply;
  std::function<std::string(const TrainSettings&)> show;
};

double number(const AttrValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  throw Error("expected a number, got '" + to_string(v) + "'");
}

int64_t integer(const AttrValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  throw Error("expected an integer, got '" + to_string(v) + "'");
}

bool boolean(const AttrValue& v) {
  if (auto* s = std::get_if<std::string>(&v); s && (*s == "true" || *s == "false"))
    return *s == "true";
  if (auto* i = std::get_if<int64_t>(&v); i && (*i == 0 || *i == 1)) return *i == 1;
  throw Error("expected true or false, got '" + to_string(v) + "'");
}

std::string word(const AttrValue& v, std::initializer_list<const char*> allowed) {
  std::string choices;
  for (const char* a : allowed) {
    if (auto* s = std::get_if<std::string>(&v); s && *s == a) return *s;
    choices += (choices.empty() ? "" : ", ") + std::string(a);
  }
  throw Error("expected one of " + choices + ", got '" + to_string(v) + "'");
}

double in_range(double x, double lo, double hi, bool lo_open, const char* what) {
  if (std::isnan(x) || x < lo || (lo_open && x == lo) || x > hi) {
    std::ostringstream msg;
    msg.precision(15);  // whole numbers such as 2147483647 print in full, not as 2.14748e+09
    msg << what << " must be in " << (lo_open ? "(" : "[") << lo << ", " << hi << "], got " << x;
    throw Error(msg.str());
  }
  return x;
}

std::string fmt(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

const char* balance_name(Balance b) {
  return b == Balance::Oversample ? "oversample" : b == Balance::ClassWeights ? "weights" : "none";
}

const std::vector<Key>& keys() {
  static const std::vector<Key> table = {
      {"optimizer", "sgd (with momentum) or adam",
       [](TrainSettings& s, const AttrValue& v) {
         s.optimizer = word(v, {"sgd", "adam"});
       },
       [](const TrainSettings& s) { return s.optimizer; }},
      {"lr", "initial learning rate",
       [](TrainSettings& s, const AttrValue& v) { s.lr = in_range(number(v), 0, 10, true, "lr"); },
       [](const TrainSettings& s) { return fmt(s.lr); }},
      {"momentum", "SGD momentum",
       [](TrainSettings& s, const AttrValue& v) {
         s.momentum = in_range(number(v), 0, 0.9999, false, "momentum");
       },
       [](const TrainSettings& s) { return fmt(s.momentum); }},
      {"nesterov", "Nesterov momentum (true|false)",
       [](TrainSettings& s, const AttrValue& v) { s.nesterov = boolean(v); },
       [](const TrainSettings& s) { return std::string(s.nesterov ? "true" : "false"); }},
      {"weight_decay", "L2 regularisation added to every weight's gradient",
       [](TrainSettings& s, const AttrValue& v) {
         s.weight_decay = in_range(number(v), 0, 1, false, "weight_decay");
       },
       [](const TrainSettings& s) { return fmt(s.weight_decay); }},
      {"beta1", "Adam's first-moment decay",
       [](TrainSettings& s, const AttrValue& v) {
         s.beta1 = in_range(number(v), 0, 0.9999, false, "beta1");
       },
       [](const TrainSettings& s) { return fmt(s.beta1); }},
      {"beta2", "Adam's second-moment decay",
       [](TrainSettings& s, const AttrValue& v) {
         s.beta2 = in_range(number(v), 0, 0.99999, false, "beta2");
       },
       [](const TrainSettings& s) { return fmt(s.beta2); }},
      {"lr_decay", "factor applied to the learning rate every lr_step epochs",
       [](TrainSettings& s, const AttrValue& v) {
         s.lr_decay = in_range(number(v), 0, 1, true, "lr_decay");
       },
       [](const TrainSettings& s) { return fmt(s.lr_decay); }},
      {"lr_step", "epochs between learning-rate decays",
       [](TrainSettings& s, const AttrValue& v) {
         s.lr_step = static_cast<int>(in_range(double(integer(v)), 1, 1e6, false, "lr_step"));
       },
       [](const TrainSettings& s) { return std::to_string(s.lr_step); }},
      {"batch", "images per optimizer step",
       [](TrainSettings& s, const AttrValue& v) {
         s.batch = static_cast<int>(in_range(double(integer(v)), 1, 65536, false, "batch"));
       },
       [](const TrainSettings& s) { return std::to_string(s.batch); }},
      {"epochs", "passes over the training set",
       [](TrainSettings& s, const AttrValue& v) {
         s.epochs = static_cast<int>(in_range(double(integer(v)), 1, 1e6, false, "epochs"));
       },
       [](const TrainSettings& s) { return std::to_string(s.epochs); }},
      {"runs", "training runs with different shuffling seeds; the best on validation is kept",
       [](TrainSettings& s, const AttrValue& v) {
         s.runs = static_cast<int>(in_range(double(integer(v)), 1, 1000, false, "runs"));
       },
       [](const TrainSettings& s) { return std::to_string(s.runs); }},
      {"seed", "seed of initialisation, shuffling, augmentation and dropout",
       [](TrainSettings& s, const AttrValue& v) {
         s.seed = static_cast<uint64_t>(in_range(double(integer(v)), 0, 9e15, false, "seed"));
       },
       [](const TrainSettings& s) { return std::to_string(s.seed); }},
      {"balance", "oversample (repeat rare classes), weights (weight the loss) or none",
       [](TrainSettings& s, const AttrValue& v) {
         std::string b = word(v, {"oversample", "weights", "none"});
         s.balance = b == "oversample" ? Balance::Oversample
                     : b == "weights"  ? Balance::ClassWeights
                                       : Balance::None;
       },
       [](const TrainSettings& s) { return std::string(balance_name(s.balance)); }},
      {"flip", "random horizontal mirroring of training images (true|false)",
       [](TrainSettings& s, const AttrValue& v) { s.flip = boolean(v); },
       [](const TrainSettings& s) { return std::string(s.flip ? "true" : "false"); }},
      {"shift", "random translation of training images, in pixels each way",
       [](TrainSettings& s, const AttrValue& v) {
         s.shift = static_cast<int>(in_range(double(integer(v)), 0, 16, false, "shift"));
       },
       [](const TrainSettings& s) { return std::to_string(s.shift); }},
  };
  return table;
}

const Key* find_key(const std::string& name) {
  for (const Key& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

std::string unknown_key(const std::string& name) {
  std::string best;
  size_t best_d = std::max<size_t>(3, name.size() / 2);
  std::string all;
  for (const Key& k : keys()) {
    all += (all.empty() ? "" : ", ") + std::string(k.name);
    if (size_t d = ops::edit_distance(name, k.name); d < best_d) best_d = d, best = k.name;
  }
  return "unknown training setting '" + name + "'" +
         (best.empty() ? "" : "; did you mean '" + best + "'?") + " (settings: " + all + ")";
}

}  // namespace

double TrainSettings::lr_at(int epoch) const {
  return lr * std::pow(lr_decay, (epoch - 1) / lr_step);
}

std::string TrainSettings::to_text() const {
  std::string out;
  for (const Key& k : keys()) out += std::string(k.name) + "=" + k.show(*this) + "\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> train_setting_docs() {
  std::vector<std::pair<std::string, std::string>> out;
  TrainSettings defaults;
  for (const Key& k : keys())
    out.emplace_back(k.name, std::string(k.doc) + " (default " + k.show(defaults) + ")");
  return out;
}

TrainSettings resolve_settings(const Graph& g,
                               const std::map<std::string, std::string>& overrides) {
  TrainSettings s;
  // In file order, so the first bad line is the one reported.
  std::vector<const std::pair<const std::string, Setting>*> in_order;
  for (const auto& entry : g.train) in_order.push_back(&entry);
  std::sort(in_order.begin(), in_order.end(),
            [](auto* a, auto* b) { return a->second.key_loc.line < b->second.key_loc.line; });
  for (const auto* entry : in_order) {
    const auto& [name, setting] = *entry;
    const Key* k = find_key(name);
    if (!k) throw SourceError(setting.key_loc, unknown_key(name));
    try {
      k->apply(s, setting.value);
    } catch (const SourceError&) {
      throw;
    } catch (const Error& e) {
      throw SourceError(setting.loc, "training setting '" + name + "': " + e.what());
    }
  }
  for (const auto& [name, text] : overrides) {
    const Key* k = find_key(name);
    if (!k) throw Error("command-line setting " + name + "=" + text + ": " + unknown_key(name));
    try {
      k->apply(s, parse_value(text));
    } catch (const Error& e) {
      throw Error("command-line setting " + name + "=" + text + ": " + e.what());
    }
  }
  return s;
}

}  // namespace ferc
