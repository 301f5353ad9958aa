// Reading and writing a module's parameters and buffers by torch state-dict name, strictly.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace framelab {

// One state entry held on the CPU: a contiguous float32 or int64 tensor.
struct NamedTensor {
  std::string name;
  torch::Tensor value;
};

// Parameters and buffers in torch's state_dict order (per module: its parameters, then its
// buffers, then its children's), as live references (not copies).
std::vector<std::pair<std::string, torch::Tensor>> stateTensors(const torch::nn::Module& module);

// Copies every entry into the module. Strict like load_state_dict(strict=True): an unknown key,
// a missing key, a repeated key, a shape or dtype mismatch throws naming the key, and nothing is
// copied unless everything matches.
void loadState(torch::nn::Module& module, const std::vector<NamedTensor>& entries);

// Every parameter and buffer as a contiguous CPU tensor, in state-dict order. CPU tensors are not
// copied (the caller copies them out before the model can change); CUDA ones are.
std::vector<NamedTensor> hostState(const torch::nn::Module& module);

// Shapes as "[2048, 4]".
std::string shapeText(torch::IntArrayRef shape);

}  // namespace framelab
