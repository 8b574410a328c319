// The chats' user side: what users do, which becomes chat history and an update for the bot, and
// what the driver reads back.

#include "sandbox/chats.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "sandbox/bot_api_json.hpp"

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

chats::chats(change_signal& signal, update_queue& updates, bot_identity bot)
    : signal_(signal), updates_(updates), bot_(std::move(bot)) {}

int64_t chats::now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json chats::message_json(const chat_state& chat, const chat_message& message) const {
  return sandbox::message_json(message, chat.user, bot_);
}

chats::chat_state& chats::open_chat(const user_profile& user) {
  auto& chat = chats_[user.id];
  chat.user = user;
  return chat;
}

// ---- Acting as users

int64_t chats::add_user_message(const user_profile& user, chat_message message) {
  const auto sender = checked(user);
  auto& chat = open_chat(sender);
  chat.blocked = false;
  message.message_id = chat.next_message_id++;
  message.from_bot = false;
  message.date = now_unix();
  chat.messages.push_back(std::move(message));
  signal_.notify();
  return updates_.add("message", message_json(chat, chat.messages.back()));
}

int64_t chats::send_text(const user_profile& user, const std::string& text) {
  if (text.empty()) throw std::invalid_argument("a user cannot send an empty message");
  chat_message message;
  message.text = text;
  lock guard(mutex_);
  return add_user_message(user, std::move(message));
}

int64_t chats::send_location(const user_profile& user, double latitude, double longitude) {
  if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
    throw std::invalid_argument(
        "latitude must be within [-90, 90] and longitude within [-180, 180]");
  }
  chat_message message;
  message.location = telegram::location{latitude, longitude};
  lock guard(mutex_);
  return add_user_message(user, std::move(message));
}

int64_t chats::send_contact(const user_profile& user, const std::string& phone,
                            const std::string& first_name) {
  if (phone.empty()) throw std::invalid_argument("a contact needs a phone number");
  chat_message message;
  message.contact =
      telegram::contact{phone, first_name.empty() ? checked(user).first_name : first_name, user.id};
  lock guard(mutex_);
  return add_user_message(user, std::move(message));
}

int64_t chats::send_photo(const user_profile& user, const std::string& caption) {
  lock guard(mutex_);
  chat_message message;
  message.photo = new_photo();
  message.photo_file_id = message.photo.back().file_id;
  message.caption = caption;
  return add_user_message(user, std::move(message));
}

sent_photo chats::send_photo_file(const user_profile& user, const std::string& caption,
                                  photo_file image) {
  lock guard(mutex_);
  chat_message message;
  message.photo = new_photo();
  message.photo_file_id = message.photo.back().file_id;
  message.caption = caption;
  // Shared by the sizes: an upload is kept once, however many file_ids name it.
  const auto kept = std::make_shared<const photo_file>(std::move(image));
  for (const auto& size : message.photo) photo_files_[size.file_id] = kept;
  sent_photo sent;
  sent.file_id = message.photo_file_id;
  sent.update_id = add_user_message(user, std::move(message));
  return sent;
}

tap_result chats::tap(const user_profile& user, int64_t message_id, const std::string& data) {
  const auto sender = checked(user);
  lock guard(mutex_);
  const auto chat_it = chats_.find(sender.id);
  if (chat_it == chats_.end()) {
    throw std::invalid_argument("user " + std::to_string(sender.id) + " has no chat with the bot");
  }
  auto& chat = chat_it->second;
  auto* message = find_message(chat, message_id);
  if (message == nullptr) {
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

  nlohmann::json query = {{"id", result.callback_query_id},
                          {"from", user_json(sender)},
                          {"message", message_json(chat, *message)},
                          {"chat_instance", chat_instance(sender.id)},
                          {"data", data}};
  result.update_id = updates_.add("callback_query", std::move(query));
  return result;
}

void chats::block_bot(int64_t user_id) {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  if (it == chats_.end()) {
    throw std::invalid_argument("user " + std::to_string(user_id) + " never wrote to the bot");
  }
  it->second.blocked = true;
  signal_.notify();
}

void chats::unblock_bot(int64_t user_id) {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  if (it == chats_.end()) return;
  it->second.blocked = false;
  signal_.notify();
}

void chats::open_chat_with(const user_profile& user) {
  if (user.id <= 0) throw std::invalid_argument("user id must be a positive integer");
  lock guard(mutex_);
  if (chats_.count(user.id) != 0) return;
  auto& chat = open_chat(user);
  if (chat.user.first_name.empty()) chat.user.first_name = "User";
  signal_.notify();
}

std::vector<telegram::photo_size> chats::new_photo() {
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

std::vector<telegram::photo_size> chats::photo_for(const std::string& file_id) {
  const auto it = photos_.find(file_id);
  return it != photos_.end() ? it->second : new_photo();
}

// ---- Reading

std::vector<chat_message> chats::history(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return {};
  return it->second.messages;
}

std::vector<chat_message> chats::bot_messages(int64_t chat_id) const {
  lock guard(mutex_);
  std::vector<chat_message> result;
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return result;
  for (const auto& message : it->second.messages) {
    if (message.from_bot) result.push_back(message);
  }
  return result;
}

size_t chats::bot_message_count(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return 0;
  size_t count = 0;
  for (const auto& message : it->second.messages) count += message.from_bot ? 1 : 0;
  return count;
}

std::optional<chat_message> chats::bot_message_after(int64_t chat_id, size_t after_count) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return std::nullopt;
  size_t index = 0;
  for (const auto& message : it->second.messages) {
    if (!message.from_bot) continue;
    if (index++ >= after_count) return message;
  }
  return std::nullopt;
}

const chat_message* chats::find_message(const chat_state& chat, int64_t message_id) {
  const auto it =
      std::lower_bound(chat.messages.begin(), chat.messages.end(), message_id,
                       [](const chat_message& m, int64_t id) { return m.message_id < id; });
  return it != chat.messages.end() && it->message_id == message_id ? &*it : nullptr;
}

chat_message* chats::find_message(chat_state& chat, int64_t message_id) {
  return const_cast<chat_message*>(find_message(static_cast<const chat_state&>(chat), message_id));
}

std::optional<chat_message> chats::message(int64_t chat_id, int64_t message_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return std::nullopt;
  const auto* message = find_message(it->second, message_id);
  if (message == nullptr) return std::nullopt;
  return *message;
}

std::optional<user_profile> chats::user(int64_t user_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  if (it == chats_.end()) return std::nullopt;
  return it->second.user;
}

bool chats::is_blocked(int64_t user_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(user_id);
  return it != chats_.end() && it->second.blocked;
}

std::optional<callback_answer> chats::answer(const std::string& query_id) const {
  lock guard(mutex_);
  const auto it = callbacks_.find(query_id);
  if (it == callbacks_.end()) return std::nullopt;
  return it->second;
}

nlohmann::json chats::reply_keyboard(int64_t chat_id) const {
  lock guard(mutex_);
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return nullptr;
  return it->second.reply_keyboard;
}

std::optional<photo_file> chats::photo_file_of(const std::string& file_id) const {
  lock guard(mutex_);
  if (const auto kept = photo_files_.find(file_id); kept != photo_files_.end()) {
    return *kept->second;
  }
  if (photos_.count(file_id) != 0) return photo_file{};
  return std::nullopt;
}

uint64_t chats::revision(int64_t chat_id) const {
  lock guard(mutex_);
  return revision_of(chat_id);
}

// Messages are never removed and edit counts only grow, so their sum grows with every change.
uint64_t chats::revision_of(int64_t chat_id) const {
  const auto it = chats_.find(chat_id);
  if (it == chats_.end()) return 0;
  uint64_t revision = it->second.messages.size();
  for (const auto& message : it->second.messages) revision += message.edit_count;
  return revision;
}

size_t chats::count() const {
  lock guard(mutex_);
  return chats_.size();
}

}  // namespace lastcall::sandbox
