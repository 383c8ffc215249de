package awsservice

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// Response bodies in the shape of the EC2 API reference's examples.
const (
	ec2DescribeInstancesXML = `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
    <reservationSet>
        <item>
            <reservationId>r-1234567890abcdef0</reservationId>
            <ownerId>123456789012</ownerId>
            <groupSet/>
            <instancesSet>
                <item>
                    <instanceId>i-1234567890abcdef0</instanceId>
                    <imageId>ami-bff32ccc</imageId>
                    <instanceState>
                        <code>16</code>
                        <name>running</name>
                    </instanceState>
                    <privateDnsName>ip-192-168-1-88.eu-west-1.compute.internal</privateDnsName>
                    <dnsName>ec2-54-194-252-215.eu-west-1.compute.amazonaws.com</dnsName>
                    <reason/>
                    <keyName>my_keypair</keyName>
                    <amiLaunchIndex>0</amiLaunchIndex>
                    <productCodes/>
                    <instanceType>t2.micro</instanceType>
                    <launchTime>2018-05-08T16:46:19.000Z</launchTime>
                    <placement>
                        <availabilityZone>eu-west-1c</availabilityZone>
                        <groupName/>
                        <tenancy>default</tenancy>
                    </placement>
                    <monitoring>
                        <state>disabled</state>
                    </monitoring>
                    <subnetId>subnet-56f5f633</subnetId>
                    <vpcId>vpc-11112222</vpcId>
                    <privateIpAddress>192.168.1.88</privateIpAddress>
                    <ipAddress>54.194.252.215</ipAddress>
                    <sourceDestCheck>true</sourceDestCheck>
                    <groupSet>
                        <item>
                            <groupId>sg-e4076980</groupId>
                            <groupName>SecurityGroup1</groupName>
                        </item>
                    </groupSet>
                    <architecture>x86_64</architecture>
                    <rootDeviceType>ebs</rootDeviceType>
                    <rootDeviceName>/dev/xvda</rootDeviceName>
                    <blockDeviceMapping>
                        <item>
                            <deviceName>/dev/xvda</deviceName>
                            <ebs>
                                <volumeId>vol-1234567890abcdef0</volumeId>
                                <status>attached</status>
                                <attachTime>2015-12-22T10:44:09.000Z</attachTime>
                                <deleteOnTermination>true</deleteOnTermination>
                            </ebs>
                        </item>
                    </blockDeviceMapping>
                    <virtualizationType>hvm</virtualizationType>
                    <tagSet>
                        <item>
                            <key>Name</key>
                            <value>Server_1</value>
                        </item>
                    </tagSet>
                    <hypervisor>xen</hypervisor>
                    <ebsOptimized>false</ebsOptimized>
                </item>
            </instancesSet>
        </item>
    </reservationSet>
</DescribeInstancesResponse>`
	ec2StartInstancesXML = `<StartInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <instancesSet>
    <item>
      <instanceId>i-1234567890abcdef0</instanceId>
      <currentState>
          <code>0</code>
          <name>pending</name>
      </currentState>
      <previousState>
          <code>80</code>
          <name>stopped</name>
      </previousState>
    </item>
  </instancesSet>
</StartInstancesResponse>`
	ec2StopInstancesXML = `<StopInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <instancesSet>
    <item>
      <instanceId>i-1234567890abcdef0</instanceId>
      <currentState>
          <code>64</code>
          <name>stopping</name>
      </currentState>
      <previousState>
          <code>16</code>
          <name>running</name>
      </previousState>
    </item>
  </instancesSet>
</StopInstancesResponse>`
	ec2RunInstancesXML = `<RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <reservationId>r-1234567890abcdef0</reservationId>
  <ownerId>123456789012</ownerId>
  <groupSet/>
  <instancesSet>
    <item>
      <instanceId>i-1234567890abcdef0</instanceId>
      <imageId>ami-bff32ccc</imageId>
      <instanceState>
        <code>0</code>
        <name>pending</name>
      </instanceState>
      <privateDnsName/>
      <dnsName/>
      <reason/>
      <keyName>my-key-pair</keyName>
      <amiLaunchIndex>0</amiLaunchIndex>
      <productCodes/>
      <instanceType>t2.micro</instanceType>
      <launchTime>2015-12-22T10:44:05.000Z</launchTime>
      <subnetId>subnet-56f5f633</subnetId>
      <stateReason>
        <code>pending</code>
        <message>pending</message>
      </stateReason>
      <blockDeviceMapping/>
      <tagSet>
        <item>
          <key>Name</key>
          <value>Server_1</value>
        </item>
      </tagSet>
    </item>
  </instancesSet>
</RunInstancesResponse>`
	ec2CreateTagsXML = `<CreateTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
   <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
   <return>true</return>
</CreateTagsResponse>`
	ec2DescribeVpcsXML = `<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
  <vpcSet>
    <item>
      <vpcId>vpc-1a2b3c4d</vpcId>
      <ownerId>123456789012</ownerId>
      <state>available</state>
      <cidrBlock>10.0.0.0/23</cidrBlock>
      <cidrBlockAssociationSet>
        <item>
          <cidrBlock>10.0.0.0/23</cidrBlock>
          <associationId>vpc-cidr-assoc-1a2b3c4d</associationId>
          <cidrBlockState>
            <state>associated</state>
          </cidrBlockState>
        </item>
      </cidrBlockAssociationSet>
      <dhcpOptionsId>dopt-1a2b3c4d2</dhcpOptionsId>
      <instanceTenancy>default</instanceTenancy>
      <isDefault>false</isDefault>
      <tagSet/>
    </item>
  </vpcSet>
</DescribeVpcsResponse>`
	ec2AuthorizeIngressXML = `<AuthorizeSecurityGroupIngressResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <return>true</return>
  <securityGroupRuleSet>
    <item>
      <groupId>sg-1a2b3c4d</groupId>
      <groupOwnerId>123456789012</groupOwnerId>
      <isEgress>false</isEgress>
      <ipProtocol>tcp</ipProtocol>
      <fromPort>22</fromPort>
      <toPort>22</toPort>
      <cidrIpv4>203.0.113.0/24</cidrIpv4>
      <securityGroupRuleId>sgr-abcdef01234567890</securityGroupRuleId>
      <tagSet/>
    </item>
  </securityGroupRuleSet>
</AuthorizeSecurityGroupIngressResponse>`
	ec2CreateSecurityGroupXML = `<CreateSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
   <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
   <return>true</return>
   <groupId>sg-0a42d66a</groupId>
</CreateSecurityGroupResponse>`
	ec2DescribeSecurityGroupsXML = `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
   <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
   <securityGroupInfo>
      <item>
         <ownerId>123456789012</ownerId>
         <groupId>sg-1a2b3c4d</groupId>
         <groupName>WebServers</groupName>
         <groupDescription>Web Servers</groupDescription>
         <vpcId>vpc-614cc409</vpcId>
         <ipPermissions>
            <item>
               <ipProtocol>-1</ipProtocol>
               <groups>
                  <item>
                     <userId>123456789012</userId>
                     <groupId>sg-af8a8dc4</groupId>
                  </item>
               </groups>
               <ipRanges/>
               <prefixListIds/>
            </item>
         </ipPermissions>
         <ipPermissionsEgress>
            <item>
               <ipProtocol>-1</ipProtocol>
               <groups/>
               <ipRanges>
                  <item>
                     <cidrIp>0.0.0.0/0</cidrIp>
                  </item>
               </ipRanges>
            </item>
         </ipPermissionsEgress>
      </item>
   </securityGroupInfo>
</DescribeSecurityGroupsResponse>`
	ec2NotFoundXML = `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1a2b3c4d' does not exist</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>`
	ec2DryRunXML = `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>DryRunOperation</Code><Message>Request would have succeeded, but DryRun flag is set.</Message></Error></Errors><RequestID>3b1e5c7a-0f5e-4a35-bb42-example</RequestID></Response>`
)

func TestEC2(t *testing.T) {
	tests := []struct {
		name   string
		action string
		params string
		reply  stubReply
		// form is the whole form the request must carry besides Action
		// and Version.
		form map[string]string
		// want is the result's JSON, or the failure's name and cause part.
		want, cause string
	}{
		{name: "describeInstances", action: "describeInstances",
			params: `{"InstanceIds":["i-1234567890abcdef0","i-0598c7d356eba48d7"],
				"Filters":[{"Name":"instance-state-name","Values":["running","stopped"]},{"Name":"tag:Env","Values":["dev"]}],
				"MaxResults":10,"NextToken":null}`,
			reply: stubReply{body: ec2DescribeInstancesXML},
			form: map[string]string{"InstanceId.1": "i-1234567890abcdef0", "InstanceId.2": "i-0598c7d356eba48d7",
				"Filter.1.Name": "instance-state-name", "Filter.1.Value.1": "running", "Filter.1.Value.2": "stopped",
				"Filter.2.Name": "tag:Env", "Filter.2.Value.1": "dev", "MaxResults": "10"},
			want: `{"Reservations":[{"Groups":[],"Instances":[{"AmiLaunchIndex":"0","Architecture":"x86_64",` +
				`"BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"AttachTime":"2015-12-22T10:44:09.000Z","DeleteOnTermination":"true","Status":"attached","VolumeId":"vol-1234567890abcdef0"}}],` +
				`"EbsOptimized":"false","Hypervisor":"xen","ImageId":"ami-bff32ccc","InstanceId":"i-1234567890abcdef0","InstanceType":"t2.micro",` +
				`"KeyName":"my_keypair","LaunchTime":"2018-05-08T16:46:19.000Z","Monitoring":{"State":"disabled"},` +
				`"Placement":{"AvailabilityZone":"eu-west-1c","GroupName":"","Tenancy":"default"},` +
				`"PrivateDnsName":"ip-192-168-1-88.eu-west-1.compute.internal","PrivateIpAddress":"192.168.1.88","ProductCodes":[],` +
				`"PublicDnsName":"ec2-54-194-252-215.eu-west-1.compute.amazonaws.com","PublicIpAddress":"54.194.252.215",` +
				`"RootDeviceName":"/dev/xvda","RootDeviceType":"ebs","SecurityGroups":[{"GroupId":"sg-e4076980","GroupName":"SecurityGroup1"}],` +
				`"SourceDestCheck":"true","State":{"Code":"16","Name":"running"},"StateTransitionReason":"","SubnetId":"subnet-56f5f633",` +
				`"Tags":[{"Key":"Name","Value":"Server_1"}],"VirtualizationType":"hvm","VpcId":"vpc-11112222"}],` +
				`"OwnerId":"123456789012","ReservationId":"r-1234567890abcdef0"}]}`},
		{name: "startInstances", action: "startInstances", params: `{"InstanceIds":["i-1234567890abcdef0"]}`,
			reply: stubReply{body: ec2StartInstancesXML},
			form:  map[string]string{"InstanceId.1": "i-1234567890abcdef0"},
			want: `{"StartingInstances":[{"CurrentState":{"Code":"0","Name":"pending"},"InstanceId":"i-1234567890abcdef0",` +
				`"PreviousState":{"Code":"80","Name":"stopped"}}]}`},
		{name: "stopInstances", action: "stopInstances", params: `{"InstanceIds":["i-1234567890abcdef0"],"Force":true,"Hibernate":false}`,
			reply: stubReply{body: ec2StopInstancesXML},
			form:  map[string]string{"InstanceId.1": "i-1234567890abcdef0", "Force": "true", "Hibernate": "false"},
			want: `{"StoppingInstances":[{"CurrentState":{"Code":"64","Name":"stopping"},"InstanceId":"i-1234567890abcdef0",` +
				`"PreviousState":{"Code":"16","Name":"running"}}]}`},
		{name: "runInstances", action: "runInstances",
			params: `{"ImageId":"ami-bff32ccc","InstanceType":"t2.micro","MinCount":1,"MaxCount":1,"KeyName":"my-key-pair",
				"UserData":"IyEvYmluL2Jhc2gK",
				"BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":8,"DeleteOnTermination":true}}],
				"NetworkInterfaces":[{"DeviceIndex":0,"SubnetId":"subnet-56f5f633","AssociatePublicIpAddress":true,
					"Groups":["sg-e4076980"],"Ipv6Addresses":[{"Ipv6Address":"2001:db8::1"}]}],
				"TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"Server_1"}]}],
				"Ipv6Addresses":[]}`,
			reply: stubReply{body: ec2RunInstancesXML},
			form: map[string]string{"ImageId": "ami-bff32ccc", "InstanceType": "t2.micro", "MinCount": "1", "MaxCount": "1",
				"KeyName": "my-key-pair", "UserData": "IyEvYmluL2Jhc2gK",
				"BlockDeviceMapping.1.DeviceName": "/dev/xvda", "BlockDeviceMapping.1.Ebs.VolumeSize": "8",
				"BlockDeviceMapping.1.Ebs.DeleteOnTermination": "true",
				"NetworkInterface.1.DeviceIndex":               "0", "NetworkInterface.1.SubnetId": "subnet-56f5f633",
				"NetworkInterface.1.AssociatePublicIpAddress": "true", "NetworkInterface.1.SecurityGroupId.1": "sg-e4076980",
				"NetworkInterface.1.Ipv6Addresses.1.Ipv6Address": "2001:db8::1",
				"TagSpecification.1.ResourceType":                "instance", "TagSpecification.1.Tag.1.Key": "Name",
				"TagSpecification.1.Tag.1.Value": "Server_1"},
			want: `{"Groups":[],"Instances":[{"AmiLaunchIndex":"0","BlockDeviceMappings":[],"ImageId":"ami-bff32ccc",` +
				`"InstanceId":"i-1234567890abcdef0","InstanceType":"t2.micro","KeyName":"my-key-pair","LaunchTime":"2015-12-22T10:44:05.000Z",` +
				`"PrivateDnsName":"","ProductCodes":[],"PublicDnsName":"","State":{"Code":"0","Name":"pending"},` +
				`"StateReason":{"Code":"pending","Message":"pending"},"StateTransitionReason":"","SubnetId":"subnet-56f5f633",` +
				`"Tags":[{"Key":"Name","Value":"Server_1"}]}],"OwnerId":"123456789012","ReservationId":"r-1234567890abcdef0"}`},
		{name: "createTags", action: "createTags",
			params: `{"Resources":["ami-1a2b3c4d","i-1234567890abcdef0"],"Tags":[{"Key":"webserver","Value":""},{"Key":"stack","Value":"Production"}]}`,
			reply:  stubReply{body: ec2CreateTagsXML},
			form: map[string]string{"ResourceId.1": "ami-1a2b3c4d", "ResourceId.2": "i-1234567890abcdef0",
				"Tag.1.Key": "webserver", "Tag.1.Value": "", "Tag.2.Key": "stack", "Tag.2.Value": "Production"},
			want: `{}`},
		{name: "describeVpcs", action: "describeVpcs", params: `{"VpcIds":["vpc-1a2b3c4d"],"Filters":[]}`,
			reply: stubReply{body: ec2DescribeVpcsXML},
			form:  map[string]string{"VpcId.1": "vpc-1a2b3c4d"},
			want: `{"Vpcs":[{"CidrBlock":"10.0.0.0/23","CidrBlockAssociationSet":[{"AssociationId":"vpc-cidr-assoc-1a2b3c4d",` +
				`"CidrBlock":"10.0.0.0/23","CidrBlockState":{"State":"associated"}}],"DhcpOptionsId":"dopt-1a2b3c4d2",` +
				`"InstanceTenancy":"default","IsDefault":"false","OwnerId":"123456789012","State":"available","Tags":[],"VpcId":"vpc-1a2b3c4d"}]}`},
		{name: "authorizeSecurityGroupIngress", action: "authorizeSecurityGroupIngress",
			params: `{"GroupId":"sg-1a2b3c4d","IpPermissions":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,
				"IpRanges":[{"CidrIp":"203.0.113.0/24","Description":"SSH"}],"UserIdGroupPairs":[{"GroupId":"sg-af8a8dc4"}],
				"PrefixListIds":[{"PrefixListId":"pl-12345678"}]}]}`,
			reply: stubReply{body: ec2AuthorizeIngressXML},
			form: map[string]string{"GroupId": "sg-1a2b3c4d", "IpPermissions.1.IpProtocol": "tcp",
				"IpPermissions.1.FromPort": "22", "IpPermissions.1.ToPort": "22",
				"IpPermissions.1.IpRanges.1.CidrIp": "203.0.113.0/24", "IpPermissions.1.IpRanges.1.Description": "SSH",
				"IpPermissions.1.Groups.1.GroupId": "sg-af8a8dc4", "IpPermissions.1.PrefixListIds.1.PrefixListId": "pl-12345678"},
			want: `{"Return":"true","SecurityGroupRules":[{"CidrIpv4":"203.0.113.0/24","FromPort":"22","GroupId":"sg-1a2b3c4d",` +
				`"GroupOwnerId":"123456789012","IpProtocol":"tcp","IsEgress":"false","SecurityGroupRuleId":"sgr-abcdef01234567890",` +
				`"Tags":[],"ToPort":"22"}]}`},
		{name: "createSecurityGroup", action: "createSecurityGroup",
			params: `{"GroupName":"WebServers","Description":"Web Servers","VpcId":"vpc-614cc409"}`,
			reply:  stubReply{body: ec2CreateSecurityGroupXML},
			form:   map[string]string{"GroupName": "WebServers", "GroupDescription": "Web Servers", "VpcId": "vpc-614cc409"},
			want:   `{"GroupId":"sg-0a42d66a"}`},
		{name: "describeSecurityGroups", action: "describeSecurityGroups", params: `{"GroupIds":["sg-1a2b3c4d"]}`,
			reply: stubReply{body: ec2DescribeSecurityGroupsXML},
			form:  map[string]string{"GroupId.1": "sg-1a2b3c4d"},
			want: `{"SecurityGroups":[{"Description":"Web Servers","GroupId":"sg-1a2b3c4d","GroupName":"WebServers",` +
				`"IpPermissions":[{"IpProtocol":"-1","IpRanges":[],"PrefixListIds":[],"UserIdGroupPairs":[{"GroupId":"sg-af8a8dc4","UserId":"123456789012"}]}],` +
				`"IpPermissionsEgress":[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}],"UserIdGroupPairs":[]}],` +
				`"OwnerId":"123456789012","VpcId":"vpc-614cc409"}]}`},
		{name: "return modelled as ReturnValue", action: "modifyVpcTenancy",
			params: `{"VpcId":"vpc-1a2b3c4d","InstanceTenancy":"default"}`,
			reply: stubReply{body: `<ModifyVpcTenancyResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
				`<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><return>true</return></ModifyVpcTenancyResponse>`},
			form: map[string]string{"VpcId": "vpc-1a2b3c4d", "InstanceTenancy": "default"},
			want: `{"ReturnValue":"true"}`},
		{name: "no body", action: "rebootInstances", params: `{"InstanceIds":["i-1"]}`,
			reply: stubReply{},
			form:  map[string]string{"InstanceId.1": "i-1"},
			want:  `{}`},
		{name: "not found", action: "describeInstances", params: `{"InstanceIds":["i-1a2b3c4d"]}`,
			reply: stubReply{status: 400, body: ec2NotFoundXML},
			form:  map[string]string{"InstanceId.1": "i-1a2b3c4d"},
			want:  "Ec2.Ec2Exception", cause: "The instance ID 'i-1a2b3c4d' does not exist (Service: Ec2, Status Code: 400, Request ID: ea966190-f9aa-478e-9ede-example)"},
		{name: "dry run", action: "stopInstances", params: `{"InstanceIds":["i-1"],"DryRun":true}`,
			reply: stubReply{status: 412, body: ec2DryRunXML},
			form:  map[string]string{"InstanceId.1": "i-1", "DryRun": "true"},
			want:  "Ec2.Ec2Exception", cause: "Request would have succeeded, but DryRun flag is set. (Service: Ec2, Status Code: 412, Request ID: 3b1e5c7a-0f5e-4a35-bb42-example)"},
		{name: "error without a body", action: "describeVpcs", params: `{}`,
			reply: stubReply{status: 503},
			form:  map[string]string{},
			want:  "Ec2.Ec2Exception", cause: "null (Service: Ec2, Status Code: 503, Request ID: null)"},
		{name: "wrong response element", action: "describeVpcs", params: `{}`,
			reply: stubReply{body: `<DescribeSubnetsResponse/>`},
			form:  map[string]string{},
			want:  "Ec2.SdkClientException", cause: "the body is a <DescribeSubnetsResponse>, not an <DescribeVpcsResponse>"},
		{name: "not xml", action: "describeVpcs", params: `{}`,
			reply: stubReply{body: `{"Vpcs":[]}`},
			form:  map[string]string{},
			want:  "Ec2.SdkClientException", cause: "Unable to unmarshall response"},
		{name: "params not PascalCase", action: "describeInstances", params: `{"instanceIds":["i-1"],"Filter.1.Name":"x"}`,
			want: failure.Runtime, cause: `[The field 'instanceIds' is not supported by Step Functions, The field 'Filter.1.Name' is not supported by Step Functions]`},
		{name: "params sent by the same name", action: "describeInstances",
			params: `{"Filter":[{"Name":"a"}],"Filters":[{"Name":"b"}],"InstanceIds":["i-1"],"InstanceId":"i-2"}`,
			want:   failure.Runtime, cause: `[The fields 'Filter' and 'Filters' are both sent to EC2 as 'Filter', ` +
				`The fields 'InstanceIds' and 'InstanceId' are both sent to EC2 as 'InstanceId']`},
		{name: "nested params sent by the same name", action: "describeVpcs",
			params: `{"Filters":[{"Name":"a","Values":["x"]},{"Name":"b","Value":["x"],"Values":["y"]}]}`,
			want:   failure.Runtime, cause: `[The fields 'Value' and 'Values' are both sent to EC2 as 'Filter.2.Value']`},
		{name: "params not an object", action: "describeInstances", params: `["i-1"]`,
			want: failure.Runtime, cause: `The Parameters must be a JSON object, not array`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, tc.reply)
			h := s.handler(t, "ec2")
			out, err := h.Invoke(t.Context(), taskRequest(SDKPrefix+"ec2:"+tc.action, tc.params))
			if !strings.HasPrefix(tc.want, "{") {
				wantFailure(t, err, tc.want, tc.cause)
			} else if err != nil {
				t.Fatalf("Invoke: %v", err)
			} else if got := value.String(out); got != tc.want {
				t.Errorf("result\n got  %s\n want %s", got, tc.want)
			}
			if strings.HasPrefix(tc.want, "States.") {
				s.mu.Lock()
				defer s.mu.Unlock()
				if len(s.seen) != 0 {
					t.Errorf("bad Parameters were sent")
				}
				return
			}
			r := s.last(t)
			if r.method != "POST" || r.path != "/" {
				t.Errorf("request %s %s, want POST /", r.method, r.path)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/x-www-form-urlencoded; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if r.service != "ec2" || r.region != testRegion {
				t.Errorf("signed for %s in %s, want ec2 in %s", r.service, r.region, testRegion)
			}
			want := maps.Clone(tc.form)
			want["Action"] = upperFirst(tc.action)
			want["Version"] = "2016-11-15"
			checkForm(t, r.form, want)
			if extra := slices.DeleteFunc(slices.Collect(maps.Keys(r.form)), func(k string) bool { _, ok := want[k]; return ok }); len(extra) > 0 {
				t.Errorf("form members not expected: %v", extra)
			}
		})
	}
}

func TestEC2Names(t *testing.T) {
	wire := []struct {
		ctx, name string
		list      bool
		want      string
	}{
		{"DescribeInstances", "InstanceIds", true, "InstanceId"},
		{"DescribeInstances", "Filters", true, "Filter"},
		{"Filters", "Values", true, "Value"},
		{"DescribeAddresses", "PublicIps", true, "PublicIp"},
		{"AssignPrivateIpAddresses", "PrivateIpAddresses", true, "PrivateIpAddress"},
		{"NetworkInterfaces", "PrivateIpAddresses", true, "PrivateIpAddresses"},
		{"DescribePolicies", "Policies", true, "Policy"},
		{"DescribePrefixLists", "Prefixes", true, "Prefix"},
		{"DescribeStatuses", "Statuses", true, "Status"},
		{"RunInstances", "ElasticGpuSpecification", true, "ElasticGpuSpecification"},
		{"RunInstances", "InstanceIds", false, "InstanceIds"},
		{"CreateTags", "Resources", true, "ResourceId"},
		{"DescribeTags", "Resources", true, "Resource"},
		{"CreateSecurityGroup", "Description", false, "GroupDescription"},
		{"IpPermissions", "Description", false, "Description"},
	}
	for _, tc := range wire {
		if got := ec2WireName(tc.ctx, tc.name, tc.list); got != tc.want {
			t.Errorf("ec2WireName(%q, %q, %v) = %q, want %q", tc.ctx, tc.name, tc.list, got, tc.want)
		}
	}
	member := []struct {
		ctx, elem string
		list      bool
		want      string
	}{
		{"DescribeInstances", "reservationSet", true, "Reservations"},
		{"reservationSet", "instancesSet", true, "Instances"},
		{"StopInstances", "instancesSet", true, "StoppingInstances"},
		{"instancesSet", "instanceState", false, "State"},
		{"instancesSet", "tagSet", true, "Tags"},
		{"instancesSet", "privateIpAddressesSet", true, "PrivateIpAddresses"},
		{"instancesSet", "blockDeviceMapping", true, "BlockDeviceMappings"},
		{"DescribeStatus", "statusSet", true, "Statuses"},
		{"DescribeAddresses", "addressesSet", true, "Addresses"},
		{"DescribePolicies", "policySet", true, "Policies"},
		{"x", "keySet", true, "KeyPairs"},
		{"x", "ruleSet", false, "RuleSet"},
		{"x", "state", false, "State"},
	}
	for _, tc := range member {
		if got := ec2MemberName(tc.ctx, tc.elem, tc.list); got != tc.want {
			t.Errorf("ec2MemberName(%q, %q, %v) = %q, want %q", tc.ctx, tc.elem, tc.list, got, tc.want)
		}
	}
}
