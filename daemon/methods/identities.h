// Whose work counts (DESIGN §5): the emails of [identity] emails, else git's
// global user.email, else none. bragd, `status` without bragd and `brag scan`
// all ask here, so that they agree.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace brag {

std::vector<std::string> IdentitiesOf(const Config& config);

}  // namespace brag
