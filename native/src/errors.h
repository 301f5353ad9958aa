// Turning C++ failures into readable messages for JavaScript.
#pragma once

#include <stdexcept>
#include <string>

namespace framelab {

// A heavy call stopped because the model's cancel flag is set. The message starts with "cancelled".
class Cancelled : public std::runtime_error {
 public:
  explicit Cancelled(const std::string& operation)
      : std::runtime_error("cancelled: " + operation + " stopped because the cancel flag is set") {}
};

// The message of the exception currently being handled, for a user: c10::Error (LibTorch) without
// its C++ backtrace, std::exception's what(), or a generic text. Call only inside a catch block.
std::string currentExceptionMessage();

}  // namespace framelab
