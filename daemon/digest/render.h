// A Digest printed for people and scripts: Markdown (the weekly file), one
// self-contained HTML page (inline CSS and SVG charts, no script, nothing
// fetched), JSON (every field, each metric with value, unit, before, after,
// factor and direction), and the self-assessment draft of `brag review`.
// Pure: same digest, same bytes (dates in local time).
#pragma once

#include <string>

#include "digest/digest.h"

namespace brag::digest {

std::string RenderMarkdown(const Digest& digest);
std::string RenderHtml(const Digest& digest);
// Pretty-printed (two spaces), ending in a newline.
std::string RenderJson(const Digest& digest);

// The self-assessment draft in Markdown: wins grouped by category, each as
// what I did -> impact -> what's next with its PR/commit and note, strongest
// (quantified, largest factor) first within a category.
std::string RenderReview(const Digest& digest);

}  // namespace brag::digest
