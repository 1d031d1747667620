// Where the shared reference data is: $SHUMAO_SHARED (set by CMake for tests) or
// ../shared relative to the project root (the tests' working directory).
#ifndef SHUMAO_TESTS_SUPPORT_SHARED_DIR_H_
#define SHUMAO_TESTS_SUPPORT_SHARED_DIR_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace shumao::testing {

inline std::string SharedDir() {
  const char* env = std::getenv("SHUMAO_SHARED");
  return env && *env ? env : "../shared";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The sample files of one direction ("import" or "export"), sorted by name.
inline std::vector<std::string> SampleFiles(const std::string& direction) {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::directory_iterator(SharedDir() + "/ceb/samples/" + direction)) {
    if (e.path().extension() == ".xml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace shumao::testing

#endif  // SHUMAO_TESTS_SUPPORT_SHARED_DIR_H_
