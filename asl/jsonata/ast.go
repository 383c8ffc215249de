package jsonata

// nodeType is the kind of an AST node, after jsonata-js's post-processing.
type nodeType uint8

const (
	ntNone nodeType = iota
	ntPath
	ntBinary
	ntUnary
	ntName
	ntString
	ntNumber
	ntValue // true, false, null
	ntWildcard
	ntDescendant
	ntParent
	ntCondition
	ntBlock
	ntBind
	ntRegex
	ntFunction
	ntVariable
	ntLambda
	ntPartial
	ntApply
	ntTransform
	ntSort
	ntOperator // '?' placeholder in partial application, and/or/in as names
	ntEnd
)

var nodeTypeNames = [...]string{
	ntNone: "none", ntPath: "path", ntBinary: "binary", ntUnary: "unary", ntName: "name",
	ntString: "string", ntNumber: "number", ntValue: "value", ntWildcard: "wildcard",
	ntDescendant: "descendant", ntParent: "parent", ntCondition: "condition", ntBlock: "block",
	ntBind: "bind", ntRegex: "regex", ntFunction: "function", ntVariable: "variable",
	ntLambda: "lambda", ntPartial: "partial", ntApply: "apply", ntTransform: "transform",
	ntSort: "sort", ntOperator: "operator", ntEnd: "end",
}

func (t nodeType) String() string { return nodeTypeNames[t] }

// slot links a parent operator (%) to the step whose context it names.
type slot struct {
	label string
	level int
	index int
}

// stage is a predicate filter or a positional (#) binding applied to a step.
type stage struct {
	isIndex bool
	expr    *node  // filter
	name    string // index variable
	pos     int
}

type sortTerm struct {
	descending bool
	expr       *node
}

type groupSpec struct {
	pairs [][2]*node
	pos   int
	// keys are the keys when they are all distinct string literals (set
	// by markAll): they then need no evaluation.
	keys []string
}

// node is an AST node. The parser and the post-processing share it, as in
// jsonata-js; only the fields meaningful for typ are set.
type node struct {
	// The fields evaluation reads on every visit come first, together, so
	// that evaluating a node touches few cache lines; the rest follow.
	typ                nodeType
	simple             bool // path of plain names: evaluated by simplePath
	keepArray          bool
	consarray          bool
	keepSingletonArray bool
	tuple              bool
	thunk              bool
	op                 string // operator of binary/unary nodes; name of names/variables
	val                any    // literal value for ntValue, ntString, ntNumber
	predicate          []stage
	group              *groupSpec
	steps              []*node
	stages             []stage
	lhs, rhs           *node
	ctor               *groupSpec // object constructor of a unary '{' node
	exprs              []*node    // array constructor items, block expressions
	procedure          *node
	args               []*node
	builtin            *Function // the built-in function a variable names, if any (set by markAll)
	expr               *node     // unary operand
	slot               *slot
	// canon is, for a name step or the variable starting a simple path,
	// the first such step of the same name in the expression: equal canon
	// pointers mean equal names (see pathCache).
	canon *node
	pos   int

	id    string // parser symbol: operator text, "(name)", "(literal)", ...
	str   string // string literal
	num   float64
	regex *regexLit

	pairs       [][2]*node
	params      []string // lambda parameter names
	sig         *signature
	body        *node
	condition   *node
	then, els   *node
	pattern     *node
	update, del *node
	terms       []sortTerm
	rawTerms    []sortTerm // parser form of order-by terms

	// other path and step annotations
	focus         string
	index         string
	ancestor      *slot
	seekingParent *slotList // nil when undefined; shared like a JS array
}

// slotList is a shared, growable list of slots (jsonata-js shares these
// arrays between nodes and appends to them in place).
type slotList struct{ s []*slot }
