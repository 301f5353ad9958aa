#include "errors.h"

#include <c10/util/Exception.h>

namespace framelab {

namespace {

// LibTorch's messages may still end with "Exception raised from <function> at <file>:<line>"; cut it.
std::string withoutSourceLocation(std::string message) {
  const auto at = message.find("\nException raised from ");
  if (at != std::string::npos) message.erase(at);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace

std::string currentExceptionMessage() {
  try {
    throw;
  } catch (const c10::Error& e) {
    return withoutSourceLocation(e.what_without_backtrace());
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown C++ exception in the training addon";
  }
}

}  // namespace framelab
