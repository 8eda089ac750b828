/** The AST `amplify-velocity-template`'s parser produces (observed shapes, version 1.4.17). */

export interface Position {
  first_line: number;
  first_column: number;
}

export type PathNode =
  | { type: 'property'; id: string }
  | { type: 'method'; id: string; args: ExprNode[] | false }
  | { type: 'index'; id: ExprNode };

export interface RefNode {
  type: 'references';
  id: string;
  path?: PathNode[];
  leader: '$' | '$!';
  isWraped?: boolean;
  pos?: Position;
}

export type ExprNode =
  | RefNode
  | { type: 'string'; value: string; isEval?: boolean }
  | { type: 'integer'; value: string | number }
  | { type: 'decimal'; value: number }
  | { type: 'bool'; value: 'true' | 'false' | 'null' }
  | { type: 'array'; value: (ExprNode | string | number)[]; isRange?: boolean }
  | { type: 'map'; value?: Record<string, ExprNode> }
  | { type: 'math'; operator: string; expression: ExprNode[] };

export type BlockHeader =
  | { type: 'if'; condition: ExprNode; pos?: Position }
  | { type: 'foreach'; to: string; from: ExprNode; pos?: Position }
  | { type: 'macro' | 'define' | 'noescape' | 'macro_body'; id?: string; pos?: Position };

export type Statement =
  | { type: 'set'; equal: [RefNode, ExprNode]; pos?: Position }
  | { type: 'elseif'; condition: ExprNode; pos?: Position }
  | { type: 'else'; pos?: Position }
  | { type: 'break'; pos?: Position }
  | { type: 'return'; value: ExprNode | null; pos?: Position }
  | { type: 'comment' }
  | { type: 'raw'; value: string }
  | { type: 'macro_call'; id: string; args?: ExprNode[]; pos?: Position };

export type Block = [BlockHeader, ...VtlNode[]];

export type VtlNode = string | RefNode | Statement | Block;
