#include "device.h"

#include <stdexcept>

namespace framelab {

bool cudaAvailable() { return torch::cuda::is_available(); }

torch::Device chooseDevice(const std::string& preference) {
  if (preference == "cpu") return torch::Device(torch::kCPU);
  if (preference == "auto") return cudaAvailable() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  if (preference == "cuda") {
    if (!cudaAvailable()) {
      throw std::invalid_argument(
          "device 'cuda' was requested but CUDA is not available (this LibTorch build has no CUDA, or no GPU is "
          "visible); use device 'auto' or 'cpu', or build the addon against a CUDA LibTorch (README \"Training addon\")");
    }
    return torch::Device(torch::kCUDA);
  }
  throw std::invalid_argument("device must be 'auto', 'cpu' or 'cuda', got '" + preference + "'");
}

std::string deviceName(const torch::Device& device) { return device.str(); }

}  // namespace framelab
