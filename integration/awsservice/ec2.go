package awsservice

import (
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// EC2 speaks its own variant of the query protocol. Step Functions takes
// the Parameters of aws-sdk:ec2:ACTION in the shape of the AWS SDK's
// request (PascalCase members, lists as arrays: "InstanceIds") and gives
// the SDK's response shape; on the wire EC2 names members by the model's
// locationName or queryName (InstanceId.1) and answers with lowerCamel
// elements (<instancesSet><item><instanceId>). Stepwise has no models:
// the functions below map the names by EC2's own conventions. The
// tables, taken from the EC2 model (API version 2016-11-15, as
// aws-sdk-go-v2/service/ec2 v1.344.1 ships it), hold the exceptions to
// those conventions in the actions on instances, tags, VPCs, subnets
// and security groups (and a few of images, key pairs, regions and
// zones), and every action whose result has a Return member.

// ec2RequestNames are the wire names of request members that EC2's rule
// (ec2WireName) does not give, by "Context.Member" (the action, or the
// member holding the structure) or by "Member" wherever it appears.
var ec2RequestNames = map[string]string{
	"CreateTags.Resources":                 "ResourceId",
	"DeleteTags.Resources":                 "ResourceId",
	"CreateSecurityGroup.Description":      "GroupDescription",
	"IpPermissions":                        "IpPermissions",
	"IpRanges":                             "IpRanges",
	"Ipv6Ranges":                           "Ipv6Ranges",
	"UserIdGroupPairs":                     "Groups",
	"IpPermissions.PrefixListIds":          "PrefixListIds",
	"NetworkInterfaces.Groups":             "SecurityGroupId",
	"NetworkInterfaces.Ipv6Addresses":      "Ipv6Addresses",
	"NetworkInterfaces.PrivateIpAddresses": "PrivateIpAddresses",
}

// ec2ResponseNames are the SDK names of response elements that EC2's
// rule (ec2MemberName) does not give, by "context.element" (the
// action, or the element holding the structure: the list's for an
// item) or by "element" wherever it appears.
var ec2ResponseNames = map[string]string{
	"StartInstances.instancesSet":     "StartingInstances",
	"StopInstances.instancesSet":      "StoppingInstances",
	"TerminateInstances.instancesSet": "TerminatingInstances",
	"instancesSet.dnsName":            "PublicDnsName",
	"instancesSet.groupSet":           "SecurityGroups",
	"instancesSet.instanceState":      "State",
	"instancesSet.ipAddress":          "PublicIpAddress",
	"instancesSet.reason":             "StateTransitionReason",
	"productCodes.type":               "ProductCodeType",
	"productCode":                     "ProductCodeId",
	"cidrBlockAssociationSet":         "CidrBlockAssociationSet",
	"ipv6CidrBlockAssociationSet":     "Ipv6CidrBlockAssociationSet",
	"securityGroupInfo":               "SecurityGroups",
	"groupDescription":                "Description",
	"groups":                          "UserIdGroupPairs",
	"ipPermissionsEgress":             "IpPermissionsEgress",
	"keySet":                          "KeyPairs",
	"availabilityZoneInfo":            "AvailabilityZones",
	"regionInfo":                      "Regions",
	"imageState":                      "State",
	"imageOwnerId":                    "OwnerId",

	"ModifyVpcEndpointConnectionNotification.return":       "ReturnValue",
	"ModifyVpcEndpointServicePayerResponsibility.return":   "ReturnValue",
	"ModifyVpcEndpointServicePermissions.return":           "ReturnValue",
	"ModifyVpcTenancy.return":                              "ReturnValue",
	"ReplaceImageCriteriaInAllowedImagesSettings.return":   "ReturnValue",
	"StartVpcEndpointServicePrivateDnsVerification.return": "ReturnValue",
}

// ec2Returns are the EC2 actions whose result has a Return member (or
// ReturnValue, as ec2ResponseNames names it). EC2 writes
// <return>true</return> in the answers of many others (CreateTags,
// CreateSecurityGroup), which the SDK does not read.
var ec2Returns = set(
	"AcceptCapacityReservationBillingOwnership", "AssociateCapacityReservationBillingOwner", "AttachClassicLinkVpc",
	"AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "CancelCapacityReservation",
	"CancelDeclarativePoliciesReport", "CancelImageLaunchPermission", "ConfirmProductInstance", "CreateRoute",
	"DeleteFpgaImage", "DeleteImageUsageReport", "DeleteKeyPair", "DeleteNetworkInterfacePermission",
	"DeleteSecurityGroup", "DeleteVpcPeeringConnection", "DeleteVpnConcentrator", "DeregisterImage",
	"DetachClassicLinkVpc", "DetachImageWatermark", "DisableImage", "DisableImageDeprecation",
	"DisableImageDeregistrationProtection", "DisableIpamPolicy", "DisableVpcClassicLink",
	"DisableVpcClassicLinkDnsSupport", "DisassociateCapacityReservationBillingOwner",
	"DisassociateEnclaveCertificateIamRole", "DisassociateTrunkInterface", "EnableImage", "EnableImageDeprecation",
	"EnableImageDeregistrationProtection", "EnableVpcClassicLink", "EnableVpcClassicLinkDnsSupport",
	"ImportClientVpnClientCertificateRevocationList", "ModifyAvailabilityZoneGroup", "ModifyCapacityReservation",
	"ModifyCapacityReservationFleet", "ModifyClientVpnEndpoint", "ModifyFleet",
	"ModifyInstanceCapacityReservationAttributes", "ModifyInstanceConnectEndpoint", "ModifyInstanceMetadataDefaults",
	"ModifyInstancePlacement", "ModifyPrivateDnsNameOptions", "ModifySecurityGroupRules", "ModifySpotFleetRequest",
	"ModifyVpcEndpoint", "ModifyVpcEndpointServiceConfiguration", "RejectCapacityReservationBillingOwnership",
	"RejectVpcPeeringConnection", "ReplaceVpnTunnel", "ResetFpgaImageAttribute", "RestoreImageFromRecycleBin",
	"RestoreVolumeFromRecycleBin", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress",
	"UpdateSecurityGroupRuleDescriptionsEgress", "UpdateSecurityGroupRuleDescriptionsIngress",
	"ModifyVpcEndpointConnectionNotification", "ModifyVpcEndpointServicePayerResponsibility",
	"ModifyVpcEndpointServicePermissions", "ModifyVpcTenancy", "ReplaceImageCriteriaInAllowedImagesSettings",
	"StartVpcEndpointServicePrivateDnsVerification",
)

// ec2WireName is the name EC2 reads the request member name by, in ctx
// (the action, or the member holding the structure): the
// ec2RequestNames exception if there is one, else the singular of a list
// member's name (InstanceIds → InstanceId, Filters → Filter, Addresses →
// Address, Policies → Policy) and any other member's name itself.
//
// The limits follow: EC2's model names about 90 of its 5,000 request
// members otherwise (SubnetIds stays SubnetIds in
// CreateTransitGatewayVpcAttachment, ExecutableUsers is ExecutableBy in
// DescribeImages); only those of the table are known, and the others
// are sent by the rule, which EC2 refuses as an unknown parameter.
func ec2WireName(ctx, name string, list bool) string {
	if w, ok := ec2RequestNames[ctx+"."+name]; ok {
		return w
	}
	if w, ok := ec2RequestNames[name]; ok {
		return w
	}
	if list {
		return singular(name)
	}
	return name
}

// ec2MemberName is the name of the SDK's response member read from the
// EC2 element elem in ctx (the action, or the element holding the
// structure, the list's for an item): the ec2ResponseNames exception if
// there is one, else elem with its first letter upper-cased, a list's
// "Set" suffix replaced by the plural (reservationSet → Reservations,
// instancesSet → Instances, tagSet → Tags), and any other list's name
// made plural (blockDeviceMapping → BlockDeviceMappings).
//
// The limits follow: EC2's model names about 100 of its 6,700 response
// members otherwise (instancesSet is InstanceMonitorings in
// MonitorInstances, statusMessage is StateMessage in some structures);
// only those of the table are known, and the others keep the rule's
// name.
func ec2MemberName(ctx, elem string, list bool) string {
	if n, ok := ec2ResponseNames[ctx+"."+elem]; ok {
		return n
	}
	if n, ok := ec2ResponseNames[elem]; ok {
		return n
	}
	n := upperFirst(elem)
	if !list {
		return n
	}
	if stem, ok := strings.CutSuffix(n, "Set"); ok && stem != "" {
		n = stem
	}
	return plural(n)
}

// ec2Lists are the list elements of the actions of the tables whose
// names neither end in "Set" nor are plurals.
var ec2Lists = set("blockDeviceMapping", "ipPermissionsEgress", "securityGroupInfo", "availabilityZoneInfo", "regionInfo")

// ec2ListName reports whether an EC2 element of this name holds a list:
// its name ends in "Set", is a plural or is one of ec2Lists. An empty
// element of another name is an empty string (<dnsName/>), not an empty
// list.
func ec2ListName(elem string) bool {
	return strings.HasSuffix(elem, "Set") || looksPlural(elem) || ec2Lists[elem]
}

// ec2Result converts an EC2 answer, <ActionResponse> holding the
// result's members with its requestId, to the action's result, as
// xmlToValue converts a query answer with these differences: members
// are named as ec2MemberName gives; lists are <item> elements only
// (EC2 writes no other kind); an empty element is an empty list only
// when its name is a list's (ec2ListName), an empty string otherwise;
// requestId is left out, and so is <return> unless the action's result
// has it (ec2Returns).
//
// The limits follow: scalars stay strings, as xmlToValue leaves them
// ("16", "true", timestamps as written), where the SDK's result has
// numbers, booleans and ISO 8601 instants; an empty list whose name is
// not a list's by ec2ListName (about 40 of the model's, e.g.
// <unsuccessful/>) reads as ""; and member names follow ec2MemberName's
// limits.
func ec2Result(root *xmlNode, action string) *value.Object {
	members := &xmlNode{name: root.name}
	for _, c := range root.children {
		if c.name == "requestId" || c.name == "return" && !ec2Returns[action] {
			continue
		}
		members.children = append(members.children, c)
	}
	return xmlReader{ec2: true}.structure(members, action)
}

// singular returns the singular of a plural name: …ies → …y, …sses,
// …uses, …xes, …shes, …ches lose "es", other …s lose "s"; a name that
// is not a plural (looksPlural) stays as it is.
func singular(n string) string {
	switch {
	case strings.HasSuffix(n, "ies") && len(n) > 3:
		return n[:len(n)-3] + "y"
	case hasSuffix(n, "sses", "uses", "xes", "shes", "ches"):
		return n[:len(n)-2]
	case looksPlural(n):
		return n[:len(n)-1]
	}
	return n
}

// plural returns the plural of a name: a plural stays as it is, …s, …x,
// …sh, …ch take "es", a consonant's …y becomes …ies, others take "s".
func plural(n string) string {
	switch {
	case looksPlural(n):
		return n
	case hasSuffix(n, "s", "x", "sh", "ch"):
		return n + "es"
	case len(n) > 1 && n[len(n)-1] == 'y' && !strings.ContainsRune("aeiouAEIOU", rune(n[len(n)-2])):
		return n[:len(n)-1] + "ies"
	}
	return n + "s"
}

// looksPlural reports whether a name is a plural: it ends in "s" but
// not in "ss", "us" or "is" (Address, Status, Alias are singular).
func looksPlural(n string) bool {
	return strings.HasSuffix(n, "s") && !hasSuffix(n, "ss", "us", "is")
}

func hasSuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
