// Share links, read outside the browser: the page's links (web/js/links.js) name a world and, for
// a shared moment, its command log, so the desktop lab and the CLI can open what a student
// shared. This parses the link; the command log's deflate decompression (`log=z.`) is left to the
// caller (the core has no zlib), the uncompressed form (`log=t.`) is decoded here.
//   ?lesson=ID | ?lesson_url=URL | ?scenario=NAME   what to open
//   &step=N &seed=N &set=KEY%3DVALUE (repeatable)     the lesson step, the seed, scenario parameters
//   #at=T&log=z.<base64url> | log=t.<base64url>        the moment (simulated us) and the command log
#pragma once

#include <optional>
#include <string>

#include "scenario/replay_file.h"

namespace topo {

struct ShareLink {
  std::string lesson, lesson_url, scenario;
  std::optional<int64_t> step, seed, at;
  Params params;          ///< from set=KEY=VALUE
  char log_kind = 0;      ///< 't' (plain), 'z' (deflate-raw), 0 (no log)
  std::string log_bytes;  ///< the log after base64url: text for 't', compressed bytes for 'z'
};

/// True when `s` looks like a link rather than a file name (has "://", or starts with ? or #).
bool looks_like_link(const std::string& s);
/// Parses a link (a whole URL, or just its ?query#fragment). Nullopt and `error` for a link that
/// is not one of the lab's, or is damaged (naming the part: "seed=x is not a whole number").
std::optional<ShareLink> parse_share_link(const std::string& link, std::string* error);
/// The replay of a scenario link whose command log text is `log_text` (a lesson link is refused
/// with a message: open the lesson itself). Nullopt and `error` on a bad log.
std::optional<ReplayFile> replay_of_link(const ShareLink& link, const std::string& log_text, std::string* error);
/// base64url (no padding needed) -> bytes; nullopt when a character is not base64url.
std::optional<std::string> base64url_decode(const std::string& s);

}  // namespace topo
