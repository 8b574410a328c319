#include "sandbox/bot_api_json.hpp"

#include "sandbox/bot_api_rules.hpp"

namespace lastcall::sandbox {

namespace {

nlohmann::json location_json(const telegram::location& location) {
  return {{"latitude", location.latitude}, {"longitude", location.longitude}};
}

nlohmann::json venue_json(const venue& place, const telegram::location& location) {
  return {
      {"location", location_json(location)}, {"title", place.title}, {"address", place.address}};
}

nlohmann::json contact_json(const telegram::contact& contact) {
  nlohmann::json json = {{"phone_number", contact.phone_number},
                         {"first_name", contact.first_name}};
  if (contact.user_id) json["user_id"] = *contact.user_id;
  return json;
}

}  // namespace

nlohmann::json user_json(const user_profile& user) {
  nlohmann::json json = {{"id", user.id}, {"is_bot", false}, {"first_name", user.first_name}};
  if (!user.username.empty()) json["username"] = user.username;
  if (!user.language_code.empty()) json["language_code"] = user.language_code;
  return json;
}

nlohmann::json bot_user_json(const bot_identity& bot) {
  return {
      {"id", bot.id}, {"is_bot", true}, {"first_name", bot.first_name}, {"username", bot.username}};
}

nlohmann::json private_chat_json(const user_profile& user) {
  nlohmann::json json = {{"id", user.id}, {"first_name", user.first_name}, {"type", "private"}};
  if (!user.username.empty()) json["username"] = user.username;
  return json;
}

nlohmann::json photo_json(const std::vector<telegram::photo_size>& sizes) {
  auto json = nlohmann::json::array();
  for (const auto& size : sizes) {
    json.push_back({{"file_id", size.file_id},
                    {"file_unique_id", size.file_unique_id},
                    {"width", size.width},
                    {"height", size.height}});
  }
  return json;
}

nlohmann::json message_json(const chat_message& message, const user_profile& chat_user,
                            const bot_identity& bot) {
  nlohmann::json json = {{"message_id", message.message_id},
                         {"from", message.from_bot ? bot_user_json(bot) : user_json(chat_user)},
                         {"chat", private_chat_json(chat_user)},
                         {"date", message.date}};
  if (message.edit_date != 0) json["edit_date"] = message.edit_date;
  if (!message.photo.empty()) {
    json["photo"] = photo_json(message.photo);
    if (!message.caption.empty()) json["caption"] = message.caption;
  } else if (message.location) {
    json["location"] = location_json(*message.location);
    if (message.venue) json["venue"] = venue_json(*message.venue, *message.location);
  } else if (message.contact) {
    json["contact"] = contact_json(*message.contact);
  } else {
    json["text"] = message.text;
    if (!message.from_bot) {
      auto entities = command_entities(message.text);
      if (!entities.empty()) json["entities"] = std::move(entities);
    }
  }
  if (message.from_bot && is_inline_keyboard(message.reply_markup)) {
    json["reply_markup"] = message.reply_markup;
  }
  return json;
}

nlohmann::json error_json(const bot_api_error& error) {
  nlohmann::json json = {
      {"ok", false}, {"error_code", error.code()}, {"description", error.description()}};
  if (error.retry_after() > 0) json["parameters"] = {{"retry_after", error.retry_after()}};
  return json;
}

nlohmann::json chat_message_view(const chat_message& message) {
  return {
      {"message_id", message.message_id},
      {"from_bot", message.from_bot},
      {"date", message.date},
      {"text", message.text},
      {"caption", message.caption},
      {"photo_file_id", message.photo_file_id},
      {"location", message.location ? location_json(*message.location) : nlohmann::json()},
      {"venue", message.venue && message.location ? venue_json(*message.venue, *message.location)
                                                  : nlohmann::json()},
      {"contact", message.contact ? contact_json(*message.contact) : nlohmann::json()},
      {"reply_markup", message.reply_markup},
      {"edit_count", message.edit_count}};
}

nlohmann::json callback_answer_view(const callback_answer& answer) {
  return {{"answered", answer.answered},     {"text", answer.text},
          {"show_alert", answer.show_alert}, {"url", answer.url},
          {"user_id", answer.user_id},       {"chat_id", answer.chat_id},
          {"message_id", answer.message_id}, {"data", answer.data}};
}

}  // namespace lastcall::sandbox
