// [[digest.category]] tables: the user's category rules for the digest.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "support/temp_dir.h"

namespace brag {
namespace {

struct Loaded {
  Result<Config> config;
  std::vector<std::string> warnings;
};

Loaded Load(const std::string& text) {
  test::TempDir dir("category");
  std::filesystem::path file = dir.path() / "config.toml";
  test::WriteFile(file, text);
  std::vector<std::string> warnings;
  Result<Config> config = LoadConfigFile(file, &warnings);
  return {std::move(config), std::move(warnings)};
}

std::string ErrorOf(const Loaded& l) {
  REQUIRE_FALSE(l.config.has_value());
  CHECK(l.config.error().code == "config");
  return l.config.error().message;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("[[digest.category]] tables are read in order") {
  Loaded l = Load(R"(
[digest]
format = "md"

[[digest.category]]
id = "ml"
title = "Machine learning"
tags = ["#ml", "models"]
words = ["training", "inference"]
paths = ["models/**", "*.ipynb"]

[[digest.category]]
id = "performance"
words = ["flamegraph"]
)");
  REQUIRE_MESSAGE(l.config.has_value(), (l.config ? "" : l.config.error().message));
  CHECK(l.warnings.empty());
  const std::vector<CategoryConfig>& c = l.config->digest_categories;
  REQUIRE(c.size() == 2);
  CHECK(c[0] == CategoryConfig{"ml", "Machine learning", {"ml", "models"},
                               {"training", "inference"}, {"models/**", "*.ipynb"}});
  CHECK(c[1].id == "performance");
  CHECK(c[1].title.empty());
  CHECK(c[1].words == std::vector<std::string>{"flamegraph"});
  CHECK(l.config->digest_format == "markdown");
}

TEST_CASE("no [[digest.category]] means no extra rules") {
  Loaded l = Load("[digest]\nschedule = \"fri 16:00\"\n");
  REQUIRE(l.config.has_value());
  CHECK(l.config->digest_categories.empty());
}

TEST_CASE("a new category without a title is an error at its table") {
  std::string e = ErrorOf(Load("[[digest.category]]\nid = \"ml\"\nwords = [\"model\"]\n"));
  CHECK(Has(e, "config.toml:1:"));
  CHECK(Has(e, "digest.category"));
  CHECK(Has(e, "the new category 'ml' needs a title"));
}

TEST_CASE("a new category with nothing to match on is an error") {
  std::string e = ErrorOf(Load("[[digest.category]]\nid = \"ml\"\ntitle = \"ML\"\n"));
  CHECK(Has(e, "needs at least one of tags, words, paths"));
}

TEST_CASE("a category table without an id is an error") {
  std::string e = ErrorOf(Load("[[digest.category]]\ntitle = \"ML\"\n"));
  CHECK(Has(e, "missing required key 'id'"));
}

TEST_CASE("a malformed id is an error at the id, naming it") {
  std::string e = ErrorOf(Load("[[digest.category]]\nid = \"Machine Learning\"\n"
                               "title = \"ML\"\nwords = [\"model\"]\n"));
  CHECK(Has(e, "config.toml:2:6: digest.category.id"));
  CHECK(Has(e, "'Machine Learning'"));
}

TEST_CASE("a wrong type in a category rule is an error at the value") {
  std::string e = ErrorOf(
      Load("[[digest.category]]\nid = \"performance\"\nwords = \"flamegraph\"\n"));
  CHECK(Has(e, "config.toml:3:9: digest.category.words: expected an array of strings"));
}

TEST_CASE("[digest] category as a plain table is an error") {
  std::string e = ErrorOf(Load("[digest.category]\nid = \"ml\"\n"));
  CHECK(Has(e, "expected [[digest.category]] tables"));
}

TEST_CASE("an unknown key in a category table is a warning naming it") {
  Loaded l = Load("[[digest.category]]\nid = \"performance\"\nwrods = [\"x\"]\n");
  REQUIRE(l.config.has_value());
  REQUIRE(l.warnings.size() == 1);
  CHECK(Has(l.warnings[0], "unknown key 'digest.category.wrods'"));
}

TEST_CASE("the built-in category ids are the seven of the guide") {
  CHECK(BuiltinCategoryIds() == std::vector<std::string>{"api", "performance", "data",
                                                         "reliability", "leadership",
                                                         "collaboration", "devex"});
}

TEST_CASE("the shipped config documents [[digest.category]]") {
  std::string text = test::ReadFile(std::filesystem::path(__FILE__).parent_path().parent_path()
                                        .parent_path() / "config" / "brag.toml");
  CHECK(Has(text, "# [[digest.category]]"));
  CHECK(Has(text, "# title = \"Machine learning\""));
}

}  // namespace
}  // namespace brag
