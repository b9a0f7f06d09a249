#include "nn/pickle_writer.h"

#include <cstdint>

namespace fa::nn {

namespace {

// Pickle opcodes (Python's pickle.py names).
constexpr char kProto = '\x80';
constexpr char kGlobal = 'c';
constexpr char kEmptyTuple = ')';
constexpr char kReduce = 'R';
constexpr char kMark = '(';
constexpr char kTuple = 't';
constexpr char kBinUnicode = 'X';
constexpr char kBinInt = 'J';
constexpr char kBinInt1 = 'K';
constexpr char kBinInt2 = 'M';
constexpr char kLong1 = '\x8a';
constexpr char kBinPersId = 'Q';
constexpr char kNewFalse = '\x89';
constexpr char kSetItems = 'u';
constexpr char kStop = '.';

void appendLittleEndian(std::string &out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

} // namespace

std::string PickleWriter::storageClassName(c10::ScalarType dtype)
{
    switch (dtype) {
    case c10::ScalarType::Float:
        return "FloatStorage";
    case c10::ScalarType::Double:
        return "DoubleStorage";
    case c10::ScalarType::Half:
        return "HalfStorage";
    case c10::ScalarType::BFloat16:
        return "BFloat16Storage";
    case c10::ScalarType::Long:
        return "LongStorage";
    case c10::ScalarType::Int:
        return "IntStorage";
    case c10::ScalarType::Short:
        return "ShortStorage";
    case c10::ScalarType::Char:
        return "CharStorage";
    case c10::ScalarType::Byte:
        return "ByteStorage";
    case c10::ScalarType::Bool:
        return "BoolStorage";
    default:
        return {};
    }
}

void PickleWriter::global(const char *module, const char *name)
{
    op(kGlobal);
    m_bytes += module;
    m_bytes += '\n';
    m_bytes += name;
    m_bytes += '\n';
}

void PickleWriter::unicode(const std::string &text)
{
    op(kBinUnicode);
    appendLittleEndian(m_bytes, text.size(), 4);
    m_bytes += text;
}

void PickleWriter::integer(int64_t value)
{
    // As Python's pickler: the shortest of BININT1 / BININT2 / BININT, else LONG1.
    if (value >= 0 && value <= 0xFF) {
        op(kBinInt1);
        appendLittleEndian(m_bytes, static_cast<uint64_t>(value), 1);
    } else if (value >= 0 && value <= 0xFFFF) {
        op(kBinInt2);
        appendLittleEndian(m_bytes, static_cast<uint64_t>(value), 2);
    } else if (value >= INT32_MIN && value <= INT32_MAX) {
        op(kBinInt);
        appendLittleEndian(m_bytes, static_cast<uint64_t>(value), 4);
    } else {
        op(kLong1);
        m_bytes.push_back(8);
        appendLittleEndian(m_bytes, static_cast<uint64_t>(value), 8);
    }
}

void PickleWriter::intTuple(at::IntArrayRef values)
{
    if (values.empty()) {
        op(kEmptyTuple);
        return;
    }
    op(kMark);
    for (int64_t v : values)
        integer(v);
    op(kTuple);
}

void PickleWriter::emptyOrderedDict()
{
    global("collections", "OrderedDict");
    op(kEmptyTuple);
    op(kReduce);
}

bool PickleWriter::writeStateDict(const std::vector<std::pair<std::string, at::Tensor>> &tensors, std::string *error)
{
    m_bytes.clear();
    op(kProto);
    m_bytes.push_back(2);
    emptyOrderedDict();
    op(kMark);
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto &[name, tensor] = tensors[i];
        const std::string storage = storageClassName(tensor.scalar_type());
        if (storage.empty()) {
            if (error)
                *error = "unsupported tensor type " + std::string(c10::toString(tensor.scalar_type())) + " for '"
                    + name + "'";
            return false;
        }
        unicode(name);
        global("torch._utils", "_rebuild_tensor_v2");
        op(kMark);
        { // persistent id of the storage record data/<i>
            op(kMark);
            unicode("storage");
            global("torch", storage.c_str());
            unicode(std::to_string(i));
            unicode("cpu");
            integer(tensor.numel());
            op(kTuple);
            op(kBinPersId);
        }
        integer(0); // storage offset
        intTuple(tensor.sizes());
        intTuple(tensor.strides());
        op(kNewFalse);      // requires_grad
        emptyOrderedDict(); // backward hooks
        op(kTuple);
        op(kReduce);
    }
    op(kSetItems);
    op(kStop);
    return true;
}

} // namespace fa::nn
