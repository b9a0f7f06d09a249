#include "nn/pickle_reader.h"

#include "nn/torch_pickle_objects.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace fa::nn {

namespace {

// Hostile pickles (issue 16): a chain of 100,000 nested lists overflows the stack in the
// recursive destructors of the values, and a list appended to itself never frees. torch.save
// writes neither: Python's pickler fills a container before it places it in another, and a
// state dict nests a few levels (MAE's training checkpoints 5). So a container that is already
// inside another is sealed, and nesting stops at kMaxDepth.
constexpr int kMaxDepth = 64;

class Unpickler
{
public:
    Unpickler(const char *data, size_t size, const PickleReader::StorageLoader &loader)
        : m_data(data)
        , m_size(size)
        , m_objects(loader)
    {
    }

    PickleValuePtr run();

private:
    // Input
    const unsigned char *take(size_t n)
    {
        if (n > m_size - m_pos)
            throw PickleError("corrupt pickle: truncated (needs " + std::to_string(n) + " more bytes at byte "
                              + std::to_string(m_pos) + ")");
        const auto *p = reinterpret_cast<const unsigned char *>(m_data + m_pos);
        m_pos += n;
        return p;
    }
    uint64_t readUnsigned(size_t n)
    {
        const unsigned char *p = take(n);
        uint64_t value = 0;
        for (size_t i = 0; i < n; ++i)
            value |= static_cast<uint64_t>(p[i]) << (8 * i);
        return value;
    }
    std::string readBytes(uint64_t n)
    {
        if (n > m_size - m_pos)
            throw PickleError("corrupt pickle: truncated (string of " + std::to_string(n) + " bytes at byte "
                              + std::to_string(m_pos) + ")");
        const unsigned char *p = take(static_cast<size_t>(n));
        return std::string(reinterpret_cast<const char *>(p), static_cast<size_t>(n));
    }
    std::string readLine()
    {
        const void *end = std::memchr(m_data + m_pos, '\n', m_size - m_pos);
        if (!end)
            throw PickleError("corrupt pickle: truncated (missing newline after byte " + std::to_string(m_pos) + ")");
        const size_t length = static_cast<size_t>(static_cast<const char *>(end) - (m_data + m_pos));
        std::string line(m_data + m_pos, length);
        m_pos += length + 1;
        return line;
    }
    int64_t readLong(size_t n)
    {
        if (n > 8)
            throw PickleError("integer of " + std::to_string(n) + " bytes is too large");
        if (n == 0)
            return 0;
        uint64_t value = readUnsigned(n);
        if (n < 8 && (value >> (8 * n - 1)) & 1u)
            value |= ~uint64_t(0) << (8 * n); // sign-extend
        return static_cast<int64_t>(value);
    }

    // Stack
    void push(PickleValuePtr value) { m_stack.push_back(std::move(value)); }
    PickleValuePtr pop()
    {
        if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
            throw PickleError("pickle stack underflow at byte " + std::to_string(m_pos));
        PickleValuePtr value = std::move(m_stack.back());
        m_stack.pop_back();
        return value;
    }
    PickleValuePtr &top()
    {
        if (m_stack.empty())
            throw PickleError("pickle stack underflow at byte " + std::to_string(m_pos));
        return m_stack.back();
    }
    std::vector<PickleValuePtr> popToMark()
    {
        if (m_marks.empty())
            throw PickleError("pickle MARK missing at byte " + std::to_string(m_pos));
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<PickleValuePtr> items(m_stack.begin() + static_cast<ptrdiff_t>(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    void memoize(uint64_t index) { m_memo[index] = top(); }
    PickleValuePtr memoGet(uint64_t index) const
    {
        const auto it = m_memo.find(index);
        if (it == m_memo.end())
            throw PickleError("pickle memo entry " + std::to_string(index) + " missing");
        return it->second;
    }

    // Objects
    /// Records that `child` becomes an element of `parent` (see kMaxDepth).
    static void adopt(PickleValue &parent, const PickleValuePtr &child)
    {
        if (child.get() == &parent)
            throw PickleError("a " + parent.typeName() + " contains itself");
        if (parent.sealed)
            throw PickleError("a " + parent.typeName()
                              + " changes after it was placed in another container (a recursive structure)");
        child->sealed = true;
        parent.depth = std::max(parent.depth, child->depth + 1);
        if (parent.depth > kMaxDepth)
            throw PickleError("its containers nest deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    static PickleValuePtr container(PickleValuePtr value)
    {
        value->depth = 1;
        for (const auto &item : value->items)
            adopt(*value, item);
        for (const auto &[key, element] : value->entries) {
            adopt(*value, key);
            adopt(*value, element);
        }
        return value;
    }
    /// What REDUCE / NEWOBJ return: a new object (holding its arguments) or dict is accounted
    /// for as a container; a value passed through (a tensor, restore_type_tag's object) is not.
    static PickleValuePtr made(PickleValuePtr value)
    {
        const bool fresh = !value->sealed && value->depth == 0;
        if (fresh && (value->kind == PickleValue::Kind::Object || value->kind == PickleValue::Kind::Dict))
            return container(std::move(value));
        return value;
    }
    static void setItems(PickleValue &dict, const std::vector<PickleValuePtr> &items)
    {
        if (dict.kind != PickleValue::Kind::Dict)
            throw PickleError("SETITEM on a " + dict.typeName());
        if (items.size() % 2 != 0)
            throw PickleError("SETITEMS with an odd number of values");
        for (size_t i = 0; i < items.size(); i += 2) {
            adopt(dict, items[i]);
            adopt(dict, items[i + 1]);
            dict.setItem(items[i], items[i + 1]);
        }
    }
    static void appendItems(PickleValue &list, std::vector<PickleValuePtr> items)
    {
        if (list.kind != PickleValue::Kind::List)
            throw PickleError("APPEND on a " + list.typeName());
        for (auto &item : items) {
            adopt(list, item);
            list.items.push_back(std::move(item));
        }
    }

    const char *m_data;
    size_t m_size;
    size_t m_pos = 0;
    TorchPickleObjects m_objects;
    std::vector<PickleValuePtr> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, PickleValuePtr> m_memo;
};

PickleValuePtr Unpickler::run()
{
    while (true) {
        const size_t at = m_pos;
        const unsigned char op = *take(1);
        switch (op) {
        case 0x80: // PROTO
            take(1);
            break;
        case 0x95: // FRAME
            take(8);
            break;
        case '.': // STOP
            if (m_stack.size() != 1)
                throw PickleError("pickle ends with " + std::to_string(m_stack.size()) + " values on the stack");
            return m_stack.back();
        case '(': // MARK
            m_marks.push_back(m_stack.size());
            break;
        case '0': // POP
            pop();
            break;
        case '1': // POP_MARK
            popToMark();
            break;
        case '2': // DUP
            push(top());
            break;
        case 'q': // BINPUT
            memoize(readUnsigned(1));
            break;
        case 'r': // LONG_BINPUT
            memoize(readUnsigned(4));
            break;
        case 0x94: // MEMOIZE
            memoize(m_memo.size());
            break;
        case 'p': // PUT
            memoize(std::stoull(readLine()));
            break;
        case 'h': // BINGET
            push(memoGet(readUnsigned(1)));
            break;
        case 'j': // LONG_BINGET
            push(memoGet(readUnsigned(4)));
            break;
        case 'g': // GET
            push(memoGet(std::stoull(readLine())));
            break;
        case 'N':
            push(PickleValue::none());
            break;
        case 0x88:
            push(PickleValue::fromBool(true));
            break;
        case 0x89:
            push(PickleValue::fromBool(false));
            break;
        case 'J': // BININT
            push(PickleValue::fromInt(readLong(4)));
            break;
        case 'K': // BININT1
            push(PickleValue::fromInt(static_cast<int64_t>(readUnsigned(1))));
            break;
        case 'M': // BININT2
            push(PickleValue::fromInt(static_cast<int64_t>(readUnsigned(2))));
            break;
        case 0x8a: // LONG1
            push(PickleValue::fromInt(readLong(readUnsigned(1))));
            break;
        case 0x8b: // LONG4
            push(PickleValue::fromInt(readLong(readUnsigned(4))));
            break;
        case 'G': { // BINFLOAT, big-endian IEEE 754 double
            const unsigned char *p = take(8);
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | p[i];
            double value;
            std::memcpy(&value, &bits, sizeof value);
            push(PickleValue::fromFloat(value));
            break;
        }
        case 'X': // BINUNICODE
        case 'T': // BINSTRING
            push(PickleValue::fromString(readBytes(readUnsigned(4))));
            break;
        case 0x8c: // SHORT_BINUNICODE
        case 'U':  // SHORT_BINSTRING
            push(PickleValue::fromString(readBytes(readUnsigned(1))));
            break;
        case 0x8d: // BINUNICODE8
            push(PickleValue::fromString(readBytes(readUnsigned(8))));
            break;
        case 'B': // BINBYTES
            push(PickleValue::fromBytes(readBytes(readUnsigned(4))));
            break;
        case 'C': // SHORT_BINBYTES
            push(PickleValue::fromBytes(readBytes(readUnsigned(1))));
            break;
        case 0x8e: // BINBYTES8
            push(PickleValue::fromBytes(readBytes(readUnsigned(8))));
            break;
        case '}':
            push(container(PickleValue::makeDict()));
            break;
        case ']':
            push(container(PickleValue::makeList()));
            break;
        case ')':
            push(container(PickleValue::makeTuple({})));
            break;
        case 't':
            push(container(PickleValue::makeTuple(popToMark())));
            break;
        case 0x85: {
            auto a = pop();
            push(container(PickleValue::makeTuple({a})));
            break;
        }
        case 0x86: {
            auto b = pop();
            auto a = pop();
            push(container(PickleValue::makeTuple({a, b})));
            break;
        }
        case 0x87: {
            auto c = pop();
            auto b = pop();
            auto a = pop();
            push(container(PickleValue::makeTuple({a, b, c})));
            break;
        }
        case 'l': {
            auto list = PickleValue::makeList();
            list->items = popToMark();
            push(container(list));
            break;
        }
        case 'd': {
            auto dict = container(PickleValue::makeDict());
            setItems(*dict, popToMark());
            push(dict);
            break;
        }
        case 's': { // SETITEM
            auto value = pop();
            auto key = pop();
            setItems(*top(), {key, value});
            break;
        }
        case 'u': { // SETITEMS
            auto items = popToMark();
            setItems(*top(), items);
            break;
        }
        case 'a': { // APPEND
            auto value = pop();
            appendItems(*top(), {value});
            break;
        }
        case 'e': { // APPENDS
            auto items = popToMark();
            appendItems(*top(), std::move(items));
            break;
        }
        case 'c': { // GLOBAL
            std::string module = readLine();
            std::string name = readLine();
            push(PickleValue::fromGlobal(TorchPickleObjects::checkGlobal(module + "." + name)));
            break;
        }
        case 0x93: { // STACK_GLOBAL
            auto name = pop();
            auto module = pop();
            if (module->kind != PickleValue::Kind::String || name->kind != PickleValue::Kind::String)
                throw PickleError("STACK_GLOBAL without module and name strings");
            push(PickleValue::fromGlobal(TorchPickleObjects::checkGlobal(module->text + "." + name->text)));
            break;
        }
        case 'R': { // REDUCE
            auto args = pop();
            auto callable = pop();
            push(made(m_objects.reduce(callable, args)));
            break;
        }
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
            auto args = pop();
            auto cls = pop();
            push(made(m_objects.newObject(cls, args)));
            break;
        }
        case 'b': // BUILD: object state (e.g. an OrderedDict's _metadata) is not modelled
            pop();
            top();
            break;
        case 'Q': // BINPERSID
            push(m_objects.persistentLoad(pop()));
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const std::string code = {'0', 'x', hex[op >> 4], hex[op & 15]};
            throw PickleError("unsupported pickle opcode " + code + " at byte " + std::to_string(at));
        }
        }
    }
}

} // namespace

PickleReader::PickleReader(StorageLoader storageLoader)
    : m_storageLoader(std::move(storageLoader))
{
}

PickleValuePtr PickleReader::read(const char *data, size_t size, std::string *error)
{
    try {
        Unpickler unpickler(data, size, m_storageLoader);
        return unpickler.run();
    } catch (const PickleError &e) {
        if (error)
            *error = e.what();
    } catch (const c10::Error &e) {
        if (error)
            *error = std::string("invalid tensor in pickle: ") + e.what_without_backtrace();
    } catch (const std::exception &e) {
        if (error)
            *error = std::string("invalid pickle: ") + e.what();
    }
    return nullptr;
}

std::optional<c10::ScalarType> PickleReader::storageDtype(const std::string &className)
{
    static const std::map<std::string, c10::ScalarType> types = {
        {"torch.FloatStorage", c10::ScalarType::Float},
        {"torch.DoubleStorage", c10::ScalarType::Double},
        {"torch.HalfStorage", c10::ScalarType::Half},
        {"torch.BFloat16Storage", c10::ScalarType::BFloat16},
        {"torch.LongStorage", c10::ScalarType::Long},
        {"torch.IntStorage", c10::ScalarType::Int},
        {"torch.ShortStorage", c10::ScalarType::Short},
        {"torch.CharStorage", c10::ScalarType::Char},
        {"torch.ByteStorage", c10::ScalarType::Byte},
        {"torch.BoolStorage", c10::ScalarType::Bool},
        {"torch.ComplexFloatStorage", c10::ScalarType::ComplexFloat},
        {"torch.ComplexDoubleStorage", c10::ScalarType::ComplexDouble},
    };
    const auto it = types.find(className);
    return it == types.end() ? std::nullopt : std::optional<c10::ScalarType>(it->second);
}

} // namespace fa::nn
