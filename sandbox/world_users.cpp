// The world's driver side: what users do. Each action becomes chat history and an update for the
// bot.

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sandbox/bot_api_json.hpp"
#include "sandbox/world.hpp"

namespace lastcall::sandbox {

namespace {

// Telegram's callback query ids are long numeric strings; these look alike and never repeat within
// a world.
constexpr uint64_t callback_id_base = 4'100'000'000'000'000'000ULL;

user_profile checked(const user_profile& user) {
  if (user.id <= 0) throw std::invalid_argument("user id must be a positive integer");
  user_profile result = user;
  if (result.first_name.empty())
    result.first_name = "User";  // Telegram never has an empty first name
  return result;
}

// Stable for a chat, as Telegram's chat_instance is, and unlike any chat id.
std::string chat_instance(int64_t chat_id) {
  return std::to_string(-8'000'000'000'000'000'000LL + chat_id);
}

}  // namespace

world::chat_state& world::open_chat(const user_profile& user) {
  auto& chat = chats_[user.id];
  chat.user = user;
  return chat;
}

int64_t world::reserve_update_id(std::optional<int64_t> given) {
  const int64_t id = given ? *given : next_update_id_;
  next_update_id_ = std::max(next_update_id_, id + 1);
  return id;
}

void world::enqueue(int64_t update_id, nlohmann::json body) {
  std::string kind;
  if (body.is_object()) {
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (it.key() != "update_id") {
        kind = it.key();
        break;
      }
    }
  }
  updates_.push_back({update_id, std::move(kind), std::move(body)});
  changed();
}

int64_t world::add_user_message(const user_profile& user, chat_message message) {
  const auto sender = checked(user);
  lock guard(mutex_);
  auto& chat = open_chat(sender);
  chat.blocked = false;
  message.message_id = chat.next_message_id++;
  message.from_bot = false;
  message.date = now_unix();
  chat.messages.push_back(std::move(message));
  const auto update_id = reserve_update_id(std::nullopt);
  enqueue(update_id,
          {{"update_id", update_id}, {"message", message_json(chat, chat.messages.back())}});
  return update_id;
}

int64_t world::send_text(const user_profile& user, const std::string& text) {
  if (text.empty()) throw std::invalid_argument("a user cannot send an empty message");
  chat_message message;
  message.text = text;
  return add_user_message(user, std::move(message));
}

int64_t world::send_location(const user_profile& user, double latitude, double longitude) {
  if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
    throw std::invalid_argument(
        "latitude must be within [-90, 90] and longitude within [-180, 180]");
  }
  chat_message message;
  message.location = telegram::location{latitude, longitude};
  return add_user_message(user, std::move(message));
}

int64_t world::send_contact(const user_profile& user, const std::string& phone,
                            const std::string& first_name) {
  if (phone.empty()) throw std::invalid_argument("a contact needs a phone number");
  chat_message message;
  message.contact =
      telegram::contact{phone, first_name.empty() ? checked(user).first_name : first_name, user.id};
  return add_user_message(user, std::move(message));
}

int64_t world::send_photo(const user_profile& user, const std::string& caption) {
  lock guard(mutex_);
  chat_message message;
  message.photo = new_photo();
  message.photo_file_id = message.photo.back().file_id;
  message.caption = caption;
  return add_user_message(user, std::move(message));
}

tap_result world::tap(const user_profile& user, int64_t message_id, const std::string& data) {
  const auto sender = checked(user);
  lock guard(mutex_);
  const auto chat_it = chats_.find(sender.id);
  if (chat_it == chats_.end()) {
    throw std::invalid_argument("user " + std::to_string(sender.id) + " has no chat with the bot");
  }
  auto& chat = chat_it->second;
  const auto message =
      std::find_if(chat.messages.begin(), chat.messages.end(),
                   [&](const chat_message& m) { return m.message_id == message_id; });
  if (message == chat.messages.end()) {
    throw std::invalid_argument("chat " + std::to_string(sender.id) + " has no message " +
                                std::to_string(message_id));
  }
  if (!message->from_bot) {
    throw std::invalid_argument("message " + std::to_string(message_id) +
                                " was sent by the user, not the bot");
  }
  chat.user = sender;

  tap_result result;
  result.callback_query_id = std::to_string(callback_id_base + next_callback_id_++);
  callback_answer record;
  record.user_id = sender.id;
  record.chat_id = sender.id;
  record.message_id = message_id;
  record.data = data;
  callbacks_[result.callback_query_id] = record;

  const nlohmann::json query = {{"id", result.callback_query_id},
                                {"from", user_json(sender)},
                                {"message", message_json(chat, *message)},
                                {"chat_instance", chat_instance(sender.id)},
                                {"data", data}};
  result.update_id = reserve_update_id(std::nullopt);
  enqueue(result.update_id, {{"update_id", result.update_id}, {"callback_query", query}});
  return result;
}

int64_t world::inject_raw_update(nlohmann::json update) {
  lock guard(mutex_);
  const bool is_object = update.is_object();
  std::optional<int64_t> given;
  if (is_object && update.contains("update_id") && update["update_id"].is_number_integer()) {
    given = update["update_id"].get<int64_t>();
  }
  const auto update_id = reserve_update_id(given);
  if (is_object && !update.contains("update_id")) update["update_id"] = update_id;
  enqueue(update_id, std::move(update));
  return update_id;
}

int64_t world::inject_update_with_id(nlohmann::json update) {
  if (!update.is_object() || !update.contains("update_id") ||
      !update["update_id"].is_number_integer()) {
    throw std::invalid_argument("the update must be an object with an integer update_id");
  }
  lock guard(mutex_);
  const auto update_id = reserve_update_id(update["update_id"].get<int64_t>());
  enqueue(update_id, std::move(update));
  return update_id;
}

void world::block_bot(int64_t user_id) {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  if (it == chats_.end()) {
    throw std::invalid_argument("user " + std::to_string(user_id) + " never wrote to the bot");
  }
  it->second.blocked = true;
  changed();
}

void world::unblock_bot(int64_t user_id) {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  if (it == chats_.end()) return;
  it->second.blocked = false;
  changed();
}

std::vector<telegram::photo_size> world::new_photo() {
  struct size_spec {
    char suffix;
    int width;
    int height;
  };
  static constexpr size_spec specs[] = {{'s', 90, 67}, {'m', 320, 240}, {'x', 1280, 960}};
  const auto number = std::to_string(next_photo_++);
  std::vector<telegram::photo_size> sizes;
  for (const auto& spec : specs) {
    telegram::photo_size size;
    size.file_id = "AgACAgIAAxkBAAIsandbox" + number + spec.suffix;
    size.file_unique_id = "AQADsandbox" + number + spec.suffix;
    size.width = spec.width;
    size.height = spec.height;
    sizes.push_back(size);
  }
  for (const auto& size : sizes) photos_[size.file_id] = sizes;
  return sizes;
}

std::vector<telegram::photo_size> world::photo_for(const std::string& file_id) {
  const auto it = photos_.find(file_id);
  return it != photos_.end() ? it->second : new_photo();
}

}  // namespace lastcall::sandbox
