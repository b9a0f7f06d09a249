#include "nn/pickle_value.h"

namespace fa::nn {

namespace {

PickleValuePtr make(PickleValue::Kind kind)
{
    auto value = std::make_shared<PickleValue>();
    value->kind = kind;
    return value;
}

// Equal keys (as Python compares str, bytes, int, bool and None keys; other keys by identity)
// have equal index keys.
std::string indexKey(const PickleValue &key)
{
    const std::string kind = std::to_string(static_cast<int>(key.kind)) + ':';
    switch (key.kind) {
    case PickleValue::Kind::String:
    case PickleValue::Kind::Bytes:
        return kind + key.text;
    case PickleValue::Kind::Int:
        return kind + std::to_string(key.integer);
    case PickleValue::Kind::Bool:
        return kind + (key.boolean ? "1" : "0");
    case PickleValue::Kind::None:
        return kind;
    default:
        return kind + std::to_string(reinterpret_cast<uintptr_t>(&key));
    }
}

} // namespace

PickleValuePtr PickleValue::none()
{
    return make(Kind::None);
}

PickleValuePtr PickleValue::fromBool(bool value)
{
    auto out = make(Kind::Bool);
    out->boolean = value;
    return out;
}

PickleValuePtr PickleValue::fromInt(int64_t value)
{
    auto out = make(Kind::Int);
    out->integer = value;
    return out;
}

PickleValuePtr PickleValue::fromFloat(double value)
{
    auto out = make(Kind::Float);
    out->real = value;
    return out;
}

PickleValuePtr PickleValue::fromString(std::string value)
{
    auto out = make(Kind::String);
    out->text = std::move(value);
    return out;
}

PickleValuePtr PickleValue::fromBytes(std::string value)
{
    auto out = make(Kind::Bytes);
    out->text = std::move(value);
    return out;
}

PickleValuePtr PickleValue::fromGlobal(std::string qualifiedName)
{
    auto out = make(Kind::Global);
    out->text = std::move(qualifiedName);
    return out;
}

PickleValuePtr PickleValue::fromTensor(at::Tensor value)
{
    auto out = make(Kind::Tensor);
    out->tensor = std::move(value);
    return out;
}

PickleValuePtr PickleValue::makeTuple(std::vector<PickleValuePtr> items)
{
    auto out = make(Kind::Tuple);
    out->items = std::move(items);
    return out;
}

PickleValuePtr PickleValue::makeList()
{
    return make(Kind::List);
}

PickleValuePtr PickleValue::makeDict()
{
    return make(Kind::Dict);
}

PickleValuePtr PickleValue::makeObject(std::string className, std::vector<PickleValuePtr> arguments)
{
    auto out = make(Kind::Object);
    out->text = std::move(className);
    out->items = std::move(arguments);
    return out;
}

PickleValuePtr PickleValue::find(const std::string &key) const
{
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->first->kind == Kind::String && it->first->text == key)
            return it->second;
    }
    return nullptr;
}

void PickleValue::setItem(PickleValuePtr key, PickleValuePtr value)
{
    const auto [it, added] = m_keyIndex.emplace(indexKey(*key), entries.size());
    if (!added) {
        entries[it->second].second = std::move(value);
        return;
    }
    entries.emplace_back(std::move(key), std::move(value));
}

std::string PickleValue::typeName() const
{
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "tuple";
    case Kind::List:
        return "list";
    case Kind::Dict:
        return "dict";
    case Kind::Global:
        return "class " + text;
    case Kind::Object:
        return text;
    case Kind::Tensor:
        return "tensor";
    }
    return "?";
}

} // namespace fa::nn
