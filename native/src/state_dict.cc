#include "state_dict.h"

#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace framelab {

namespace {

std::string dtypeName(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat32:
      return "float32";
    case torch::kInt64:
      return "int64";
    default:
      return c10::toString(type);
  }
}

// "a", "b", "c" and 4 more.
std::string listSome(const std::vector<std::string>& names) {
  std::ostringstream out;
  const size_t shown = std::min<size_t>(names.size(), 5);
  for (size_t i = 0; i < shown; ++i) out << (i ? ", " : "") << '"' << names[i] << '"';
  if (names.size() > shown) out << " and " << names.size() - shown << " more";
  return out.str();
}

}  // namespace

std::string shapeText(torch::IntArrayRef shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

std::vector<std::pair<std::string, torch::Tensor>> stateTensors(const torch::nn::Module& module) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : module.named_modules()) {
    const std::string prefix = item.key().empty() ? "" : item.key() + ".";
    for (const auto& p : item.value()->named_parameters(/*recurse=*/false)) out.emplace_back(prefix + p.key(), p.value());
    for (const auto& b : item.value()->named_buffers(/*recurse=*/false)) out.emplace_back(prefix + b.key(), b.value());
  }
  return out;
}

void loadState(torch::nn::Module& module, const std::vector<NamedTensor>& entries) {
  std::map<std::string, torch::Tensor> targets;
  for (auto& [name, tensor] : stateTensors(module)) targets.emplace(name, tensor);

  std::set<std::string> seen;
  std::vector<std::string> unknown;
  for (const auto& entry : entries) {
    if (!seen.insert(entry.name).second) throw std::invalid_argument("loadState: key \"" + entry.name + "\" appears twice");
    const auto target = targets.find(entry.name);
    if (target == targets.end()) {
      unknown.push_back(entry.name);
      continue;
    }
    const torch::Tensor& want = target->second;
    if (entry.value.sizes() != want.sizes()) {
      throw std::invalid_argument("loadState: shape mismatch for \"" + entry.name + "\": the model has " +
                                  shapeText(want.sizes()) + ", the entry has " + shapeText(entry.value.sizes()));
    }
    if (entry.value.scalar_type() != want.scalar_type()) {
      throw std::invalid_argument("loadState: dtype mismatch for \"" + entry.name + "\": the model has " +
                                  dtypeName(want.scalar_type()) + ", the entry has " + dtypeName(entry.value.scalar_type()));
    }
  }
  if (!unknown.empty()) {
    throw std::invalid_argument("loadState: unknown key(s) " + listSome(unknown) + " (not in this model)");
  }
  std::vector<std::string> missing;
  for (const auto& [name, _] : targets) {
    if (!seen.count(name)) missing.push_back(name);
  }
  if (!missing.empty()) throw std::invalid_argument("loadState: missing key(s) " + listSome(missing));

  torch::NoGradGuard noGrad;
  for (const auto& entry : entries) {
    torch::Tensor& target = targets.at(entry.name);
    target.copy_(entry.value.to(target.device()));
  }
}

std::vector<NamedTensor> hostState(const torch::nn::Module& module) {
  std::vector<NamedTensor> out;
  torch::NoGradGuard noGrad;
  for (const auto& [name, tensor] : stateTensors(module)) out.push_back({name, tensor.detach().to(torch::kCPU).contiguous()});
  return out;
}

}  // namespace framelab
