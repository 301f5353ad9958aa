// Choosing where a model runs: CUDA when this LibTorch build has it and the caller allows, else CPU.
#pragma once

#include <string>

#include <torch/torch.h>

namespace framelab {

bool cudaAvailable();

// preference: "auto" (CUDA if available, else CPU), "cpu", or "cuda" (an error when CUDA is unavailable).
torch::Device chooseDevice(const std::string& preference);

// "cpu" or "cuda" / "cuda:N".
std::string deviceName(const torch::Device& device);

}  // namespace framelab
