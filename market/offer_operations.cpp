#include "market/offer_operations.hpp"

namespace lastcall::market {

int64_t offer_id_of(const offer_operation& operation) {
  return std::visit([](const auto& op) { return op.offer_id; }, operation);
}

const offer_answer& answer_of(const offer_outcome& outcome) {
  return std::visit([](const auto& reply) -> const offer_answer& { return reply; }, outcome);
}

offer_answer& answer_of(offer_outcome& outcome) {
  return std::visit([](auto& reply) -> offer_answer& { return reply; }, outcome);
}

offer_outcome unanswered(const offer_operation& operation, const std::string& reason_key) {
  return std::visit(
      [&](const auto& op) -> offer_outcome {
        reply_to_t<std::decay_t<decltype(op)>> reply;
        reply.reason_key = reason_key;
        return reply;
      },
      operation);
}

}  // namespace lastcall::market
