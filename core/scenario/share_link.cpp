// Share links (see share_link.h).
#include "scenario/share_link.h"

#include <vector>

#include "util/parse.h"

namespace topo {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// application/x-www-form-urlencoded value -> text ('+' is a space, %XX a byte).
std::optional<std::string> url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// "a=1&b=2" -> pairs, decoded.
bool split_params(const std::string& s, std::vector<std::pair<std::string, std::string>>* out, std::string* error) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find('&', pos);
    if (end == std::string::npos) end = s.size();
    const std::string part = s.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    auto k = url_decode(part.substr(0, eq));
    auto v = url_decode(eq == std::string::npos ? "" : part.substr(eq + 1));
    if (!k || !v) {
      if (error) *error = "\"" + part + "\" has a broken %-escape";
      return false;
    }
    out->push_back({*k, *v});
  }
  return true;
}

}  // namespace

bool looks_like_link(const std::string& s) {
  return s.find("://") != std::string::npos || (!s.empty() && (s[0] == '?' || s[0] == '#'));
}

std::optional<std::string> base64url_decode(const std::string& s) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    else if (c == '=') break;
    else return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<ShareLink> parse_share_link(const std::string& link, std::string* error) {
  ShareLink out;
  const size_t hash = link.find('#');
  const std::string before = link.substr(0, hash), fragment = hash == std::string::npos ? "" : link.substr(hash + 1);
  const size_t q = before.find('?');
  const std::string query = q == std::string::npos ? "" : before.substr(q + 1);
  std::vector<std::pair<std::string, std::string>> qp, fp;
  std::string err;
  auto fail = [&](const std::string& what) -> std::optional<ShareLink> {
    if (error) *error = "link: " + what;
    return std::nullopt;
  };
  if (!split_params(query, &qp, &err) || !split_params(fragment, &fp, &err)) return fail(err);
  auto whole = [&](const std::string& k, const std::string& v, std::optional<int64_t>* dst) {
    int64_t n = 0;
    if (!util::parse_int(v, &n) || n < 0) return false;
    *dst = n;
    return true;
  };
  for (const auto& [k, v] : qp) {
    if (k == "lesson") out.lesson = v;
    else if (k == "lesson_url") out.lesson_url = v;
    else if (k == "scenario") out.scenario = v;
    else if (k == "step" || k == "seed") {
      if (!whole(k, v, k == "step" ? &out.step : &out.seed)) return fail(k + "=" + v + " is not a whole number");
    } else if (k == "set") {
      const size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0) return fail("set=" + v + " is not KEY=VALUE");
      out.params[v.substr(0, eq)] = v.substr(eq + 1);
    }
    // Other query keys (e.g. a language) are the page's business.
  }
  for (const auto& [k, v] : fp) {
    if (k == "at") {
      if (!whole(k, v, &out.at)) return fail("at=" + v + " is not a whole number of microseconds");
    } else if (k == "log") {
      if (v.size() < 2 || (v.rfind("t.", 0) != 0 && v.rfind("z.", 0) != 0))
        return fail("the command log has an unknown format (it starts with t. or z.)");
      auto bytes = base64url_decode(v.substr(2));
      if (!bytes) return fail("the command log is damaged (not base64url)");
      out.log_kind = v[0];
      out.log_bytes = std::move(*bytes);
    }
  }
  if (out.lesson.empty() && out.lesson_url.empty() && out.scenario.empty())
    return fail("it names no lesson or scenario (?lesson=, ?lesson_url= or ?scenario=)");
  return out;
}

std::optional<ReplayFile> replay_of_link(const ShareLink& link, const std::string& log_text, std::string* error) {
  if (link.scenario.empty()) {
    if (error) *error = "link: a lesson's shared moment opens in the page; here, open the lesson itself";
    return std::nullopt;
  }
  ReplayFile r;
  r.scenario = link.scenario;
  r.seed = static_cast<uint64_t>(link.seed.value_or(1));
  r.params = link.params;
  std::string err;
  auto log = Session::parse_log(log_text, &err);
  if (!log) {
    if (error) *error = "link: the command log, " + err;
    return std::nullopt;
  }
  r.log = std::move(*log);
  r.at_us = link.at.value_or(r.log.empty() ? 0 : r.log.back().at);
  return r;
}

}  // namespace topo
