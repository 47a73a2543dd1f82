package org.layerlens.engine.io;

/**
 * The parts of TensorFlow Lite's FlatBuffer schema (schema.fbs, version 3) that LayerLens reads:
 * field slots of each table (their declaration order in the schema) and the names of the enums.
 * Written by hand from the schema; nothing generated.
 */
final class TfliteSchema {
    private TfliteSchema() {
    }

    static final String IDENTIFIER = "TFL3";
    static final int VERSION = 3;

    // table Model
    static final int MODEL_VERSION = 0;
    static final int MODEL_OPERATOR_CODES = 1;
    static final int MODEL_SUBGRAPHS = 2;
    static final int MODEL_DESCRIPTION = 3;
    static final int MODEL_BUFFERS = 4;

    // table OperatorCode
    static final int CODE_DEPRECATED_BUILTIN = 0;
    static final int CODE_CUSTOM = 1;
    static final int CODE_BUILTIN = 3;

    // table SubGraph
    static final int SUBGRAPH_TENSORS = 0;
    static final int SUBGRAPH_INPUTS = 1;
    static final int SUBGRAPH_OUTPUTS = 2;
    static final int SUBGRAPH_OPERATORS = 3;

    // table Tensor
    static final int TENSOR_SHAPE = 0;
    static final int TENSOR_TYPE = 1;
    static final int TENSOR_BUFFER = 2;
    static final int TENSOR_NAME = 3;
    static final int TENSOR_QUANTIZATION = 4;
    static final int TENSOR_SPARSITY = 6;

    // table QuantizationParameters
    static final int QUANT_SCALE = 2;
    static final int QUANT_ZERO_POINT = 3;
    static final int QUANT_DIMENSION = 6;

    // table Operator
    static final int OP_OPCODE_INDEX = 0;
    static final int OP_INPUTS = 1;
    static final int OP_OUTPUTS = 2;
    static final int OP_OPTIONS_TYPE = 3;
    static final int OP_OPTIONS = 4;

    // table Buffer
    static final int BUFFER_DATA = 0;
    static final int BUFFER_OFFSET = 1;
    static final int BUFFER_SIZE = 2;

    /** enum TensorType. */
    static final String[] TYPES = {"FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16",
        "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4",
        "BFLOAT16"};

    /** enum ActivationFunctionType. */
    static final String[] ACTIVATIONS = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"};

    /** enum Padding. */
    static final String[] PADDINGS = {"SAME", "VALID"};

    /** enum BuiltinOperator, 0..126 (later codes are named by number). */
    static final String[] OPERATORS = {"ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
        "DEPTH_TO_SPACE", "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP",
        "L2_NORMALIZATION", "L2_POOL_2D", "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM",
        "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX",
        "SPACE_TO_DEPTH", "SVDF", "TANH", "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM",
        "EMBEDDING_LOOKUP_SPARSE", "PAD", "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND",
        "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM",
        "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE",
        "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM", "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2",
        "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE", "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE",
        "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT", "RSQRT", "SHAPE", "POW", "ARG_MIN",
        "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK", "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT",
        "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE",
        "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE",
        "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU", "REVERSE_SEQUENCE",
        "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF", "WHILE",
        "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM",
        "BATCH_MATMUL"};

    static final int CUSTOM = 32;

    /** The BuiltinOptions union member each operator kind LayerLens runs must carry (0: none expected). */
    static int optionsType(String kind) {
        return switch (kind) {
            case "CONV_2D" -> 1;
            case "DEPTHWISE_CONV_2D" -> 2;
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> 5;
            case "FULLY_CONNECTED" -> 8;
            case "SOFTMAX" -> 9;
            case "CONCATENATION" -> 10;
            case "ADD" -> 11;
            case "RESHAPE" -> 17;
            case "PAD" -> 22;
            case "MEAN" -> 27;
            case "SQUEEZE" -> 30;
            default -> 0;
        };
    }

    static String name(String[] names, int code, String what) {
        return code >= 0 && code < names.length ? names[code] : what + " " + code;
    }

    /** Bytes per element of a tensor type, 0 for types LayerLens never reads as constants. */
    static int size(String type) {
        return switch (type) {
            case "FLOAT32", "INT32" -> 4;
            case "FLOAT16", "INT16" -> 2;
            case "UINT8", "INT8" -> 1;
            case "INT64" -> 8;
            default -> 0;
        };
    }
}
