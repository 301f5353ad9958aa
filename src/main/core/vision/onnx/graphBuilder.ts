/**
 * A small builder for ONNX models over onnx-proto's generated protobuf classes: float
 * initializers stored as raw little-endian bytes, nodes with typed attributes, inputs and
 * outputs whose dimensions are numbers (fixed), strings (named, dynamic) or null (unknown).
 */
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { FramelabError } from '../../../../shared/errors';
import { assertTensor, halfToNumber, toLittleEndian, type Tensor } from '../weights/tensor';

// onnx-proto is CommonJS: its `onnx` namespace is a property of the module object.
const { onnx } = onnxProto;

/** ONNX IR version 8 is the first that allows opset 17 (onnx 1.12's table). */
const IR_VERSION = 8;

export type Dim = number | string | null;

export type AttributeValue = number | number[] | { float: number };

/** Element types a graph input or output can declare (initializers are always float). */
export type ElemType = 'float' | 'int64';

export interface EncodeOptions {
  opset: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

function floatTensor(name: string, tensor: Tensor): Tensor {
  assertTensor(name, tensor, 'ONNX export');
  if (tensor.dtype === 'float32') return tensor;
  if (tensor.dtype === 'float16') {
    // Half weights are widened: the graph computes in float32, as torch's eval on CPU does.
    const bits = tensor.data as Uint16Array;
    const data = new Float32Array(bits.length);
    for (let i = 0; i < bits.length; i++) data[i] = halfToNumber(bits[i]!);
    return { dtype: 'float32', shape: tensor.shape, data };
  }
  throw new FramelabError('INVALID_INPUT', `ONNX export: tensor "${name}" is ${tensor.dtype}, but a weight must be float32 or float16.`);
}

function attribute(name: string, value: AttributeValue): Onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'object') return { name, type: T.FLOAT, f: value.float };
  if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; wrap floats as { float }`);
  return { name, type: T.INT, i: value };
}

function valueInfo(name: string, dims: readonly Dim[], elemType: ElemType = 'float'): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elemType === 'int64' ? onnx.TensorProto.DataType.INT64 : onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) },
      },
    },
  };
}

export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly inputs: Onnx.IValueInfoProto[] = [];
  private readonly outputs: Onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly graphName: string) {}

  /** Adds a float tensor as an initializer named `name` (e.g. the state-dict key) and returns the name. */
  initializer(name: string, tensor: Tensor): string {
    const t = floatTensor(name, tensor);
    this.claim(name);
    this.initializers.push({ name, dims: t.shape, dataType: onnx.TensorProto.DataType.FLOAT, rawData: toLittleEndian(t) });
    return name;
  }

  input(name: string, dims: readonly Dim[], elemType: ElemType = 'float'): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  /** Declares `name` (already produced by a node) as a graph output. */
  output(name: string, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** Appends a node producing one output named `output`; returns that name. */
  node(opType: string, inputs: string[], output: string, attributes: Record<string, AttributeValue> = {}): string {
    this.claim(output);
    this.nodes.push({
      opType,
      name: output,
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  encode(options: EncodeOptions): Uint8Array {
    const model: Onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: options.opset }],
      producerName: options.producerName,
      producerVersion: options.producerVersion,
      docString: options.docString ?? '',
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }

  /** Every value in an ONNX graph has one producer: a repeated name would be a builder bug. */
  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX graph ${this.graphName}: the name "${name}" is used twice`);
    this.names.add(name);
  }
}
