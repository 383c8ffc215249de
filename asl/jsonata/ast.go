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
	typ   nodeType
	id    string // parser symbol: operator text, "(name)", "(literal)", ...
	op    string // operator of binary/unary nodes; name of names/variables
	str   string // string literal
	num   float64
	val   any // literal value for ntValue, ntString, ntNumber
	pos   int
	regex *regexLit

	lhs, rhs    *node
	expr        *node   // unary operand
	exprs       []*node // array constructor items, block expressions
	pairs       [][2]*node
	procedure   *node
	args        []*node
	params      []string // lambda parameter names
	sig         *signature
	body        *node
	thunk       bool
	condition   *node
	then, els   *node
	pattern     *node
	update, del *node
	terms       []sortTerm
	rawTerms    []sortTerm // parser form of order-by terms

	// path and step annotations
	steps              []*node
	keepSingletonArray bool
	keepArray          bool
	consarray          bool
	predicate          []stage
	stages             []stage
	group              *groupSpec
	focus              string
	index              string
	tuple              bool
	ancestor           *slot
	slot               *slot
	simple             bool       // path of plain names: evaluated by simplePath
	builtin            *Function  // the built-in function a variable names, if any (set by markAll)
	ctor               *groupSpec // object constructor of a unary '{' node
	seekingParent      *slotList  // nil when undefined; shared like a JS array
}

// slotList is a shared, growable list of slots (jsonata-js shares these
// arrays between nodes and appends to them in place).
type slotList struct{ s []*slot }
