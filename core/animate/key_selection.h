#pragma once

#include <map>
#include <vector>

namespace fa {

/// Selected keys: channel index -> frames of the selected keys (sorted ascending, unique).
/// The unit of every key edit of AnimateDocument. Frames that have no key in the channel's
/// curve are ignored by edits; channels with an empty frame list are ignored.
using KeySelection = std::map<int, std::vector<int>>;

} // namespace fa
