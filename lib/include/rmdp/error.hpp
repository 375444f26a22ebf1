// One error type for bad input (Boost.Math's raise_domain_error idea): it names the file, the
// field and the problem, so a user can fix the input without reading code.
#pragma once

#include <stdexcept>
#include <string>

namespace rmdp {

class input_error : public std::runtime_error {
public:
    input_error(std::string file, std::string field, std::string problem)
        : std::runtime_error(compose(file, field, problem)), file_(std::move(file)), field_(std::move(field)),
          problem_(std::move(problem)) {}
    const std::string& file() const { return file_; }
    const std::string& field() const { return field_; }
    const std::string& problem() const { return problem_; }

private:
    static std::string compose(const std::string& file, const std::string& field, const std::string& problem) {
        std::string out = file.empty() ? std::string("input") : file;
        if (!field.empty()) out += ": field '" + field + "'";
        return out + ": " + problem;
    }
    std::string file_, field_, problem_;
};

}  // namespace rmdp
